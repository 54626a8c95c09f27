package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FanoutCommandTest {

  @Test
  void pidOption_takesEveryProcessOfACluster() {
    FanoutCommand cmd = new FanoutCommand();
    new CommandLine(cmd).parseArgs("--target", "ws://127.0.0.1:8090/ws", "--pid", "11,22", "--pid",
        "33");
    assertThat(cmd.pids).containsExactly(11L, 22L, 33L);
  }

  @Test
  void externalTarget_reportsAllItsPids_andOnePidOnlyWhenThereIsOne() throws Exception {
    URI uri = URI.create("ws://127.0.0.1:8090/ws");
    try (Target.Running cluster = Target.external(uri, Protocol.LIVEGRAPH, List.of(11L, 22L))
        .start(1, Path.of("unused"), "x")) {
      assertThat(cluster.pids()).containsExactly(11L, 22L);
      assertThat(cluster.pid()).isEmpty();
    }
    try (Target.Running single = Target.external(uri, Protocol.LIVEGRAPH, List.of(7L))
        .start(1, Path.of("unused"), "x")) {
      assertThat(single.pids()).containsExactly(7L);
      assertThat(single.pid()).hasValue(7);
    }
    try (Target.Running none = Target.external(uri, Protocol.LIVEGRAPH, List.of())
        .start(1, Path.of("unused"), "x")) {
      assertThat(none.pids()).isEmpty();
    }
  }
}
