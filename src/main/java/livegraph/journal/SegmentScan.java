package livegraph.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;
import livegraph.pipeline.Event;

/**
 * What reading one segment found: its events (given to a consumer as they are read), where its
 * whole records end, and the first problem, if any.
 *
 * <p>Design note: where a record fails its checksum decides what it is. At the end of the last
 * segment (the record runs past the end of the file, or is the last one in it) it is a <b>torn
 * write</b>, the process or machine stopping mid-write: the reader's caller truncates it away.
 * Anywhere else it is <b>corruption</b> (a bit flip, a bad sector): reported with file and
 * offset, and the rest of that segment is dropped. Records carry no sync marker, so after a
 * corrupt one the next record's start is unknown; scanning forward byte by byte for a length
 * and a checksum that agree would try millions of offsets in a 16 MiB segment, and a CRC32C
 * matches garbage once in 2^32 tries, so a resynchronising reader would now and then replay an
 * event that never was. Dropping is bounded (one segment) and counted; a phantom is not.
 */
record SegmentScan(
    Path file,
    long number,
    long chartsStartMillis,
    long events,
    long newestMillis,
    long goodEnd,
    long fileSize,
    Problem problem,
    String detail) {

  /** What the first bad record was. */
  enum Problem { NONE, TORN, CORRUPT }

  /** Whether this segment's header was whole; a segment without one holds nothing. */
  boolean hasHeader() {
    return goodEnd >= SegmentFormat.HEADER_BYTES;
  }

  /**
   * Reads {@code bytes}, the whole content of segment {@code file}, giving each whole record's
   * event to {@code events} in order.
   *
   * @param last whether it is the newest segment, whose bad tail is a torn write
   */
  static SegmentScan read(Path file, long number, byte[] bytes, boolean last,
      Consumer<Event> events) {
    long size = bytes.length;
    if (size < SegmentFormat.HEADER_BYTES) {
      Problem p = last ? Problem.TORN : Problem.CORRUPT;
      return new SegmentScan(file, number, Long.MIN_VALUE, 0, Long.MIN_VALUE, 0, size, p,
          "header of " + size + " bytes, expected " + SegmentFormat.HEADER_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    long start = in.getLong();
    int crc = in.getInt();
    if (magic != SegmentFormat.MAGIC || crc != SegmentFormat.crc(bytes, 0, 12)) {
      return new SegmentScan(file, number, Long.MIN_VALUE, 0, Long.MIN_VALUE, 0, size,
          Problem.CORRUPT, "not a journal segment header (magic or checksum wrong) at offset 0");
    }
    long count = 0;
    long newest = Long.MIN_VALUE;
    int pos = SegmentFormat.HEADER_BYTES;
    while (pos < size) {
      int left = (int) (size - pos);
      if (left < SegmentFormat.RECORD_HEADER_BYTES) {
        return bad(file, number, start, count, newest, pos, size, last, true,
            "record header cut short (" + left + " of " + SegmentFormat.RECORD_HEADER_BYTES
                + " bytes)");
      }
      int length = in.getInt(pos);
      int expected = in.getInt(pos + 4);
      if (length <= 0 || length > SegmentFormat.MAX_PAYLOAD) {
        return bad(file, number, start, count, newest, pos, size, last, false,
            "record length " + length + " out of range");
      }
      if (length > left - SegmentFormat.RECORD_HEADER_BYTES) {
        return bad(file, number, start, count, newest, pos, size, last, true,
            "record of " + length + " bytes cut short at " + (left - 8));
      }
      int payload = pos + SegmentFormat.RECORD_HEADER_BYTES;
      int end = payload + length;
      if (SegmentFormat.crc(bytes, payload, length) != expected) {
        return bad(file, number, start, count, newest, pos, size, last, end == size,
            "checksum mismatch in a record of " + length + " bytes");
      }
      Event event;
      try {
        event = EventCodec.decode(ByteBuffer.wrap(bytes, payload, length).slice());
      } catch (IllegalArgumentException e) {
        return bad(file, number, start, count, newest, pos, size, last, false,
            "record with a valid checksum does not decode: " + e.getMessage());
      }
      events.accept(event);
      count++;
      newest = Math.max(newest, event.timeMillis());
      pos = end;
    }
    return new SegmentScan(file, number, start, count, newest, pos, size, Problem.NONE, "");
  }

  private static SegmentScan bad(Path file, long number, long start, long count, long newest,
      int pos, long size, boolean last, boolean atTail, String what) {
    Problem p = last && atTail ? Problem.TORN : Problem.CORRUPT;
    return new SegmentScan(file, number, start, count, newest, pos, size, p,
        what + " at offset " + pos);
  }
}
