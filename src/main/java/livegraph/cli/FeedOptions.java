package livegraph.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The simulated or replayed feed's options, shared by {@code serve} and {@code emulate}. */
final class FeedOptions {

  @Option(names = "--rate", defaultValue = "4", description = "Simulated events per second. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--replay", description = "Replay a file written by 'livegraph record' (or raw frames, one per line) instead of simulating.")
  Path replay;

  @Option(names = "--speed", defaultValue = "1", description = "Replay speed factor. Default: ${DEFAULT-VALUE}.")
  double speed;

  /** Refuses values no feed can use, naming the option and the value. */
  void validate(CommandLine commandLine) {
    if (!(rate > 0)) {
      throw new CommandLine.ParameterException(commandLine, "--rate must be positive: " + rate);
    }
    if (!(speed > 0)) {
      throw new CommandLine.ParameterException(commandLine, "--speed must be positive: " + speed);
    }
    if (replay != null && !Files.isReadable(replay)) {
      throw new CommandLine.ParameterException(commandLine, "--replay: cannot read " + replay);
    }
  }
}
