package livegraph.emulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import livegraph.pipeline.Clock;

/**
 * A simulated feed that starts with a backlog: {@code count} frames whose
 * {@code lastActivityDate} is spread evenly over the {@code span} before playing started, sent
 * {@code burstPerSecond} a second, then the live simulated feed at its own rate.
 *
 * <p>It exists so that a benchmark can start with an hour of history in a consumer that takes
 * each event's time from {@code lastActivityDate} (a dashboard with {@code time:
 * lastActivityDate}), without waiting an hour. The burst is paced rather than sent at once
 * because the emulator skips frames to a client whose socket is not writable, and a backlog
 * the consumer never got would not be history. Not thread-safe, like every {@link Feed}.
 */
public final class HistoryFeed implements Feed {

  private final Clock clock;
  private final long spanMillis;
  private final long count;
  private final long burstDelayNanos;
  private final SimulatedFeed live;
  private long sent; // history frames handed out so far
  private long startMillis = -1; // clock reading at the first next(); history ends there
  private long stampMillis; // the time SimulatedFeed reads while writing a history frame

  private HistoryFeed(double rate, long seed, Clock clock, Duration span, long count,
      double burstPerSecond) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (span.isNegative() || count < 0) {
      throw new IllegalArgumentException("history span and count must not be negative: "
          + span + ", " + count);
    }
    if (!(burstPerSecond > 0) || Double.isInfinite(burstPerSecond)) {
      throw new IllegalArgumentException("burstPerSecond must be positive and finite: "
          + burstPerSecond);
    }
    this.spanMillis = span.toMillis();
    this.count = count;
    this.burstDelayNanos = (long) (1e9 / burstPerSecond);
    // SimulatedFeed reads its clock only to write lastActivityDate, so during the backlog it
    // reads the stamp of the frame being written instead of the time.
    this.live = SimulatedFeed.create(rate, seed, () -> sent < count ? stampMillis : clock.millis());
  }

  /**
   * A live feed of {@code rate} frames a second after a backlog of {@code count} frames over
   * the past {@code span}, sent {@code burstPerSecond} a second; reproducible from the seed.
   */
  public static HistoryFeed create(double rate, long seed, Clock clock, Duration span, long count,
      double burstPerSecond) {
    return new HistoryFeed(rate, seed, clock, span, count, burstPerSecond);
  }

  @Override
  public Optional<Timed> next() {
    if (startMillis < 0) {
      startMillis = clock.millis();
    }
    if (sent >= count) {
      return live.next();
    }
    // Frame i of n is stamped at start - span + span * i / n: oldest first, the last just
    // before the live feed begins.
    stampMillis = startMillis - spanMillis + spanMillis * sent / count;
    Timed frame = live.next().orElseThrow(); // SimulatedFeed never ends
    sent++;
    return Optional.of(new Timed(sent == 1 ? 0 : burstDelayNanos, frame.frame()));
  }

  /** Frames of the backlog, in all. */
  public long historyCount() {
    return count;
  }
}
