package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s journal flags and where the journal goes by default. */
class JournalFlagsTest {

  @Test
  void defaultJournal_followsXdgStateHome_elseHomeLocalState() {
    assertThat(ServeCommand.defaultJournal(Map.of("XDG_STATE_HOME", "/var/state"), "/home/u"))
        .isEqualTo(Path.of("/var/state/livegraph"));
    assertThat(ServeCommand.defaultJournal(Map.of(), "/home/u"))
        .isEqualTo(Path.of("/home/u/.local/state/livegraph"));
    // The XDG spec: a relative path is invalid and ignored.
    assertThat(ServeCommand.defaultJournal(Map.of("XDG_STATE_HOME", "state"), "/home/u"))
        .isEqualTo(Path.of("/home/u/.local/state/livegraph"));
  }

  @Test
  void journalMax_readsSizesAsPeopleWriteThem() {
    ByteSizeConverter sizes = new ByteSizeConverter();
    assertThat(sizes.convert("256m")).isEqualTo(256L << 20);
    assertThat(sizes.convert("256MiB")).isEqualTo(256L << 20);
    assertThat(sizes.convert("1g")).isEqualTo(1L << 30);
    assertThat(sizes.convert("4096")).isEqualTo(4096L);
    assertThatThrownBy(() -> sizes.convert("12 parsecs"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'12 parsecs' is not a size: use e.g. 64m, 256MiB or 1g");
  }

  @Test
  void journalAndNoJournal_together_areAUsageError() {
    CliRun run = CliRun.of("serve", "--port", "0", "--journal", "/tmp/x", "--no-journal");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--journal and --no-journal cannot be combined");
  }

  @Test
  void aJournalMaxBelowTwoMebibytes_isAUsageError() {
    CliRun run = CliRun.of("serve", "--port", "0", "--journal-max", "1m");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--journal-max: journal max must be at least 2 MiB");
  }
}
