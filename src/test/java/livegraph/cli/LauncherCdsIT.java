package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive {@code ./livegraph} starts from: trained through the real launcher
 * (a server started, a delta taken, SIGTERM), then mapped by a JVM that is told to fail rather
 * than start without it ({@code -Xshare:on}).
 */
class LauncherCdsIT {

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  @Test
  void trainCds_writesAnArchiveTheJvmMaps() throws Exception {
    Path archive = dir.resolve("livegraph.jsa");
    Result trained = run(List.of(JAVA, "-jar", "target/livegraph-all.jar", "bench", "startup",
        "--train-cds", archive.toString(), "--command", Path.of("livegraph").toAbsolutePath()
            .toString()), 240);
    assertThat(trained.exit).as(trained.output).isZero();
    assertThat(trained.output).contains("wrote " + archive);
    assertThat(Files.size(archive)).isGreaterThan(1_000_000);

    Result mapped = run(List.of(JAVA, "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-Xlog:cds=info", "-jar", "target/livegraph-all.jar", "--version"), 60);
    assertThat(mapped.exit).as(mapped.output).isZero();
    assertThat(mapped.output).contains("Mapped dynamic region").contains("livegraph");
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command, int seconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "run", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return new Result(-1, Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
