package livegraph.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The dashboard a bench's server serves: {@code stackexchange} (the built-in charts on the
 * bench's feed), {@code minimal} (one small chart), or a dashboard file. Shared by
 * {@code bench fanout} and {@code bench soak}, so both measure the same thing by the same name.
 */
final class BenchDashboards {

  private BenchDashboards() {}

  /** The YAML of {@code name}; a name that is neither built in nor a file is a usage error. */
  static String text(String name, CommandLine command) throws IOException {
    String resource = switch (name) {
      case "stackexchange" -> "/bench/fanout-dashboard.yaml";
      case "minimal" -> "/bench/fanout-minimal.yaml";
      default -> null;
    };
    if (resource == null) {
      Path file = Path.of(name);
      if (!Files.isRegularFile(file)) {
        throw new CommandLine.ParameterException(command, "--dashboard must be"
            + " stackexchange, minimal or a file: no file " + file.toAbsolutePath());
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    }
    try (InputStream in = BenchDashboards.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource missing: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
