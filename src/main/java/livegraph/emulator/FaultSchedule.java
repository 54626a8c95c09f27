package livegraph.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays faults to an emulator in turn for demos ({@code livegraph emulate --fault}): one fault
 * per period, round robin; a state fault lasts its period and is cleared before the next.
 *
 * <p>Runs on the executor it is given (one task per period); {@link #step()} is what each task
 * does, so tests drive it without one.
 */
public final class FaultSchedule implements AutoCloseable {

  private final StackExchangeEmulator emulator;
  private final List<Fault> faults;
  private final Consumer<Fault> announce;
  private int next; // owned by the executor's thread
  private ScheduledFuture<?> task;

  /** @param announce told each fault as it starts (the command prints a line) */
  public FaultSchedule(StackExchangeEmulator emulator, List<Fault> faults,
      Consumer<Fault> announce) {
    this.emulator = Objects.requireNonNull(emulator, "emulator");
    this.faults = List.copyOf(faults);
    if (this.faults.isEmpty()) {
      throw new IllegalArgumentException("faults must not be empty");
    }
    this.announce = Objects.requireNonNull(announce, "announce");
  }

  /** Plays the first fault after one {@code period}, then one per period. */
  public FaultSchedule start(ScheduledExecutorService executor, Duration period) {
    long millis = StackExchangeEmulator.Builder.positive(period, "period").toMillis();
    task = executor.scheduleAtFixedRate(this::step, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Clears the last state fault and plays the next fault; returns it. */
  public Fault step() {
    emulator.clearFaults();
    Fault fault = faults.get(next);
    next = (next + 1) % faults.size();
    announce.accept(fault);
    emulator.inject(fault);
    return fault;
  }

  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
