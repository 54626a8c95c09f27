package livegraph.pipeline;

import java.util.Map;

/** Receives the charts that changed at a tick; the hub turns them into a frame. */
@FunctionalInterface
public interface FrameSink {

  /**
   * Called on the pipeline thread, at most once per tick and only when something changed.
   *
   * @param changedCharts chart id to the UTF-8 JSON of that chart's full state, in spec order;
   *     unmodifiable, and the arrays are shared (e.g. with {@link Pipeline#snapshot()}): never
   *     write to them
   */
  void publish(Map<String, byte[]> changedCharts);

  /** {@code newestEventNanos} when no event arrived since the last publish. */
  long NO_EVENT = Long.MIN_VALUE;

  /**
   * {@link #publish(Map)}, told when the newest event in it arrived: the {@link System#nanoTime}
   * at which the pipeline took the batch holding it, or {@link #NO_EVENT} when the charts
   * changed only because time passed; a sink that measures ingest-to-send latency overrides it.
   */
  default void publish(Map<String, byte[]> changedCharts, long newestEventNanos) {
    publish(changedCharts);
  }
}
