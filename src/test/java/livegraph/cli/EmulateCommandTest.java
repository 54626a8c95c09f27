package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmulateCommandTest {

  @Test
  void unknownFault_isRefusedBeforeAnythingStarts_namingItAndTheKnownModes() {
    CliRun run = CliRun.of("emulate", "--fault", "close,explode");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--fault: unknown fault 'explode'")
        .contains("heartbeats-only").contains("deep-nesting");
  }

  @Test
  void help_listsTheFaultOptions() {
    CliRun run = CliRun.of("emulate", "--help");
    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("--fault=MODE[,MODE]").contains("--fault-every");
  }
}
