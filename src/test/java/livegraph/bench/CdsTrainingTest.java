package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTrainingTest {

  @TempDir Path dir;

  private static StartupCommand.Run run(double delta, int exit) {
    return new StartupCommand.Run(new StartupCommand.Times(1, 2, delta), exit);
  }

  @Test
  void keepsTheArchive_ofARunThatServedADelta_andStoppedOnSigterm() throws Exception {
    Path written = Files.write(dir.resolve("a.jsa"), new byte[] {1});
    assertThat(CdsTraining.refusal(run(3, 143), written)).isNull();
    assertThat(CdsTraining.refusal(run(3, 0), written)).isNull();
  }

  @Test
  void refusesAForcedStop_aRunWithoutDelta_andAnEmptyOrMissingFile() throws Exception {
    Path written = Files.write(dir.resolve("a.jsa"), new byte[] {1});
    assertThat(CdsTraining.refusal(run(3, -1), written)).contains("torn");
    assertThat(CdsTraining.refusal(run(3, 1), written)).contains("exit 1");
    assertThat(CdsTraining.refusal(run(Double.NaN, 143), written)).contains("no delta");
    assertThat(CdsTraining.refusal(run(3, 143), dir.resolve("missing.jsa"))).contains("no archive");
    Path empty = Files.write(dir.resolve("empty.jsa"), new byte[0]);
    assertThat(CdsTraining.refusal(run(3, 143), empty)).contains("no archive");
  }

  @Test
  void train_movesTheArchiveIntoPlace_onlyWhenTheRunIsKept() throws Exception {
    Path archive = dir.resolve("livegraph.jsa");
    int kept = CdsTraining.train(archive, env -> {
      Files.writeString(Path.of(env.get("LIVEGRAPH_CDS_DUMP")), "classes");
      assertThat(env).containsEntry("LIVEGRAPH_CDS", "off");
      return run(5, 143);
    });
    assertThat(kept).isZero();
    assertThat(archive).hasContent("classes");

    Path refused = dir.resolve("other.jsa");
    int notKept = CdsTraining.train(refused, env -> {
      Files.writeString(Path.of(env.get("LIVEGRAPH_CDS_DUMP")), "torn");
      return run(5, -1);
    });
    assertThat(notKept).isOne();
    assertThat(refused).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }
}
