package livegraph.emulator;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * An upstream fault the emulator can play to its clients, for tests and demos ({@link
 * StackExchangeEmulator#inject}; {@code livegraph emulate --fault MODE[,MODE]}).
 *
 * <p>Some are states that last until {@link StackExchangeEmulator#clearFaults()} ({@link
 * #isState()}); the others happen once per injection.
 */
public enum Fault {
  /** A clean WebSocket close (1001), as a server restart sends. */
  CLOSE(false),
  /** A TCP reset: {@code SO_LINGER} 0, then close; no close frame. */
  RESET(false),
  /** The connection stays open and sends nothing at all: no frames, no heartbeats. */
  HANG(true),
  /** A dead feed: heartbeats go on, data frames stop (the known StackExchange fault). */
  HEARTBEATS_ONLY(true),
  /** Data frames go on, heartbeats stop. */
  HEARTBEAT_LOSS(true),
  /** One question frame's bytes dribbled out a few at a time. */
  SLOW_TRICKLE(false),
  /** Question frames as fast as each client's socket takes them. */
  FLOOD(false),
  /** Text that is not JSON, outside and inside {@code data}. */
  MALFORMED_JSON(false),
  /** JSON of the wrong shape: {@code data} a number or a list, the frame a list. */
  WRONG_TYPES(false),
  /** A text frame over the source's 1 MiB decode limit (but under its 8 MiB wire limit). */
  OVERSIZED(false),
  /** A binary frame. */
  BINARY(false),
  /** A text frame whose bytes are not UTF-8. */
  INVALID_UTF8(false),
  /** A question frame nested deeper than the decoder's limit of 32. */
  DEEP_NESTING(false);

  private final boolean state;

  Fault(boolean state) {
    this.state = state;
  }

  /** Whether the fault lasts until cleared rather than happening once. */
  public boolean isState() {
    return state;
  }

  /** The name on the command line: {@code heartbeats-only}. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code close,reset,heartbeats-only} (case and {@code -}/{@code _} free).
   *
   * @throws IllegalArgumentException naming the unknown mode and listing the known ones
   */
  public static List<Fault> parseList(String text) {
    List<Fault> faults = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      Fault found = null;
      for (Fault f : values()) {
        if (f.name().equals(name)) {
          found = f;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown fault '" + part.strip() + "'; known: "
            + String.join(", ", EnumSet.allOf(Fault.class).stream().map(Fault::flag).toList()));
      }
      faults.add(found);
    }
    return List.copyOf(faults);
  }
}
