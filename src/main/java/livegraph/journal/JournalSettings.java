package livegraph.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a dashboard's journal is kept.
 *
 * @param maxBytes bound on the segment files of one dashboard; when reached, the oldest segment
 *     is deleted first (so windows reaching further back lose their oldest events on a restart)
 * @param segmentBytes a segment is rolled once it holds this many bytes
 * @param rollEvery a segment is also rolled when this old (and holds something), so retention,
 *     which deletes whole segments, frees space at this granularity; and a journal stopped by a
 *     write error retries this often
 * @param fsyncEvery written batches are forced to the disk this often (and at roll and close):
 *     a power loss loses at most this much of what was acknowledged
 * @param queueEvents events waiting for the writer at most; a batch that does not fit is not
 *     journaled, counted in {@link Journal#refused}
 * @param opener creates segment files
 */
public record JournalSettings(long maxBytes, long segmentBytes, Duration rollEvery,
    Duration fsyncEvery, int queueEvents, ChannelOpener opener) {

  /** The default bound of one dashboard's journal: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  public JournalSettings {
    if (maxBytes < 2L * SegmentFormat.MAX_PAYLOAD) {
      throw new IllegalArgumentException("journal max must be at least 2 MiB: " + maxBytes);
    }
    if (segmentBytes < SegmentFormat.HEADER_BYTES + 1 || segmentBytes > maxBytes) {
      throw new IllegalArgumentException(
          "segmentBytes must be between 17 and maxBytes: " + segmentBytes);
    }
    if (rollEvery.toMillis() <= 0 || fsyncEvery.toMillis() <= 0) {
      throw new IllegalArgumentException(
          "rollEvery and fsyncEvery must be positive: " + rollEvery + ", " + fsyncEvery);
    }
    if (queueEvents < 1) {
      throw new IllegalArgumentException("queueEvents must be positive: " + queueEvents);
    }
    Objects.requireNonNull(opener, "opener");
  }

  /**
   * {@code maxBytes} in segments of an eighth of it (at most 16 MiB), rolled every minute,
   * forced every second, 100,000 events queued at most.
   */
  public static JournalSettings of(long maxBytes) {
    return new JournalSettings(maxBytes, Math.min(16L << 20, maxBytes / 8), Duration.ofMinutes(1),
        Duration.ofSeconds(1), 100_000, ChannelOpener.files());
  }

  public JournalSettings withOpener(ChannelOpener opener) {
    return new JournalSettings(maxBytes, segmentBytes, rollEvery, fsyncEvery, queueEvents, opener);
  }

  public JournalSettings withSegmentBytes(long segmentBytes) {
    return new JournalSettings(maxBytes, segmentBytes, rollEvery, fsyncEvery, queueEvents, opener);
  }
}
