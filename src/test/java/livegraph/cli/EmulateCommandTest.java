package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

  private static EmulateCommand parsed(String... args) {
    EmulateCommand emulate = new EmulateCommand();
    new CommandLine(emulate).parseArgs(args);
    return emulate;
  }

  @Test
  void resendRecent_readsADuration_andIsOffByDefault() {
    assertThat(parsed("--resend-recent", "10s").resendRecent).isEqualTo(Duration.ofSeconds(10));
    assertThat(parsed("--resend-recent=1500ms").resendRecent).isEqualTo(Duration.ofMillis(1500));
    EmulateCommand defaults = parsed();
    assertThat(defaults.resendRecent).isNull();
    assertThat(defaults.resendMaxFrames).isEqualTo(100_000);
    assertThat(parsed("--resend-recent", "1m", "--resend-max-frames", "500").resendMaxFrames)
        .isEqualTo(500);
  }

  @Test
  void negativeOrZeroResendRecent_isRefusedBeforeAnythingStarts_namingTheFlag() {
    CliRun negative = CliRun.of("emulate", "--resend-recent=-5s");
    assertThat(negative.status()).isEqualTo(2);
    assertThat(negative.err()).contains("--resend-recent").contains("'-5s' is not a duration");

    CliRun spaced = CliRun.of("emulate", "--resend-recent", "-5s");
    assertThat(spaced.status()).isEqualTo(2);
    assertThat(spaced.err()).contains("--resend-recent").contains("-5s");

    CliRun zero = CliRun.of("emulate", "--resend-recent", "0s");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err()).contains("--resend-recent").contains("duration must be positive: 0s");
  }

  @Test
  void resendMaxFramesOutOfRange_isRefusedBeforeAnythingStarts() {
    for (String bad : new String[] {"0", "-1", "1000001"}) {
      CliRun run = CliRun.of("emulate", "--resend-recent", "10s", "--resend-max-frames=" + bad);
      assertThat(run.status()).as(bad).isEqualTo(2);
      assertThat(run.err()).as(bad).contains("--resend-max-frames must be 1..1000000: " + bad);
    }
  }

  @Test
  void help_describesResendRecent() {
    CliRun run = CliRun.of("emulate", "--help");
    assertThat(run.out()).contains("--resend-recent=DURATION").contains("--resend-max-frames");
  }
}
