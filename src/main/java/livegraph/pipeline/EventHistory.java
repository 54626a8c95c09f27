package livegraph.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dashboard's recent events, oldest first, kept so that a view created now starts with the
 * numbers its dashboard shows instead of empty: the view replays them before live events.
 *
 * <p>Bounds, oldest dropped first: events older than the charts' reach ({@link
 * ChartSpecs#reachMillis}, the longest of them; a since-start window or a list reaches without
 * limit), at most {@code maxEvents}, and at most {@code maxBytes} by {@link #estimateBytes}.
 * Every drop moves {@link #from()} past the dropped event: from then on the history holds every
 * event the dashboard took. A copy says whether that covers the charts' whole reach ({@link
 * Copy#complete}); when it does not, a view's windows reaching further back count less than the
 * dashboard's, and the page says since when it counts.
 *
 * <p>The array grows by doubling up to {@code maxEvents}, so a quiet dashboard holds little.
 * Not thread-safe: its owner guards it (the pipeline thread adds, under a lock a view's
 * creator also takes to copy).
 */
public final class EventHistory {

  /** Events kept at most by default: hours of a StackExchange-sized feed. */
  public static final int MAX_EVENTS = 100_000;

  /** Estimated bytes kept at most by default. */
  public static final long MAX_BYTES = 32L << 20;

  /**
   * What a view replays.
   *
   * @param events oldest first
   * @param from epoch ms from which {@code events} hold every event the dashboard took
   * @param complete whether that reaches as far back as every chart does
   */
  public record Copy(List<Event> events, long from, boolean complete) {}

  private final long reachMillis;
  private final int maxEvents;
  private final long maxBytes;
  private final long startMillis;
  private Event[] events = new Event[16]; // circular: head is the oldest
  private int[] sizes = new int[16]; // estimateBytes of each event, to subtract when it leaves
  private int head;
  private int size;
  private long bytes;
  private long from;

  /**
   * @param reachMillis how far back the charts reach ({@link Long#MAX_VALUE}: no limit)
   * @param startMillis when the dashboard's charts started: the history is complete from there
   */
  public EventHistory(long reachMillis, int maxEvents, long maxBytes, long startMillis) {
    if (reachMillis <= 0) {
      throw new IllegalArgumentException("reachMillis must be positive: " + reachMillis);
    }
    Checks.positive(maxEvents, "maxEvents");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.reachMillis = reachMillis;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.startMillis = startMillis;
    this.from = startMillis;
  }

  /** The history for {@code charts}, with the default bounds, complete from {@code startMillis}. */
  public static EventHistory of(List<ChartSpec> charts, long startMillis) {
    long reach = 1;
    for (ChartSpec chart : charts) {
      reach = Math.max(reach, ChartSpecs.reachMillis(chart));
    }
    return new EventHistory(reach, MAX_EVENTS, MAX_BYTES, startMillis);
  }

  /**
   * Keeps {@code event}, taken by the pipeline at {@code nowMillis} (its time is clamped to it as
   * the pipeline clamps it), and drops what the bounds no longer allow.
   *
   * @return the event as kept: {@code event}, or a copy at {@code nowMillis} when it was later
   */
  public Event add(Event event, long nowMillis) {
    if (event.timeMillis() > nowMillis) {
      event = new Event(nowMillis, event.fields());
    }
    int estimate = estimateBytes(event);
    if (size == maxEvents) {
      dropOldest();
    } else if (size == events.length) {
      grow();
    }
    int slot = (head + size) % events.length;
    events[slot] = event;
    sizes[slot] = estimate;
    size++;
    bytes += estimate;
    while (size > 1 && bytes > maxBytes) {
      dropOldest();
    }
    expire(nowMillis);
    return event;
  }

  /** The events within reach at {@code nowMillis}, oldest first, and since when they are whole. */
  public Copy copy(long nowMillis) {
    expire(nowMillis);
    List<Event> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(events[(head + i) % events.length]);
    }
    boolean complete = from <= startMillis
        || (reachMillis != Long.MAX_VALUE && from <= nowMillis - reachMillis);
    return new Copy(List.copyOf(out), from, complete);
  }

  /** Events held. */
  public int size() {
    return size;
  }

  /** Their estimated bytes. */
  public long bytes() {
    return bytes;
  }

  /** Epoch ms from which every event taken is held. */
  public long from() {
    return from;
  }

  private void expire(long nowMillis) {
    if (reachMillis == Long.MAX_VALUE) {
      return;
    }
    long oldest = nowMillis - reachMillis;
    while (size > 0 && events[head].timeMillis() < oldest) {
      dropOldest();
    }
  }

  private void dropOldest() {
    Event gone = events[head];
    events[head] = null;
    bytes -= sizes[head];
    head = (head + 1) % events.length;
    size--;
    from = Math.max(from, gone.timeMillis() + 1);
  }

  private void grow() {
    int capacity = (int) Math.min(maxEvents, events.length * 2L);
    Event[] moved = new Event[capacity];
    int[] movedSizes = new int[capacity];
    for (int i = 0; i < size; i++) {
      moved[i] = events[(head + i) % events.length];
      movedSizes[i] = sizes[(head + i) % events.length];
    }
    events = moved;
    sizes = movedSizes;
    head = 0;
  }

  /**
   * A rough size of the event in memory: the record and its map, and per field a slot and its
   * value (strings by their length, as compact Latin-1 strings are); field names are shared by
   * every event of a source and not counted.
   */
  static int estimateBytes(Event event) {
    long total = 80;
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      total += 16 + valueBytes(field.getValue());
    }
    return (int) Math.min(total, Integer.MAX_VALUE);
  }

  private static long valueBytes(Object value) {
    if (value instanceof String s) {
      return 48L + s.length();
    }
    if (value instanceof List<?> list) {
      long total = 40L + 8L * list.size();
      for (Object item : list) {
        total += item instanceof String s ? 48L + s.length() : 16;
      }
      return total;
    }
    return 24;
  }

  @Override
  public String toString() {
    return "EventHistory[" + size + " events, ~" + bytes + " bytes, from " + from + "]";
  }
}
