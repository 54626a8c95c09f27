package livegraph.source;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import livegraph.pipeline.Event;
import org.junit.jupiter.api.Timeout;
import org.slf4j.helpers.NOPLogger;

/**
 * Fuzzes the line sources' reading path: {@link LineSplitter} over the input cut into chunks
 * the input chooses, then each line through {@link JsonLines}. Here, not in livegraph.fuzz,
 * because both are package-private (RELIABILITY.md, "Fuzzing").
 *
 * <p>Contract: the lines (and too-long markers) are exactly those of splitting the whole input
 * at once at LF, with one CR stripped and lines over the limit reported once each, however the
 * chunks fall; and every line ends as an event, a blank line, or exactly one skip counted under
 * one reason, with no other counter moved. The first four bytes pick the line limit and the
 * chunking; the rest is the stream (seeds: JSON lines, LineSourceFuzzTestInputs/).
 */
class LineSourceFuzzTest {

  private static final Decoding DECODING =
      new Decoding(Map.of(), null, "ts", List.of(Decoding.Extract.of("level"),
          Decoding.Extract.of("/n"), Decoding.Extract.of("@source")));

  @FuzzTest
  @Timeout(30)
  void stream_splitsAsAWhole_everyLineCountedOnce(FuzzedDataProvider data) {
    int maxLine = data.consumeInt(1, 512);
    long chunking = data.consumeInt();
    byte[] stream = data.consumeRemainingAsBytes();

    List<Object> expected = wholeSplit(stream, maxLine);
    List<Object> actual = new ArrayList<>();
    LineSplitter splitter = new LineSplitter(maxLine);
    Random chunks = new Random(chunking);
    for (int at = 0; at < stream.length; ) {
      int length = Math.min(stream.length - at, 1 + chunks.nextInt(64));
      splitter.feed(stream, at, length);
      for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
        actual.add(copy(line));
      }
      if (splitter.hasInput()) {
        throw new AssertionError("next() returned null with input left");
      }
      at += length;
    }
    LineSplitter.Line last = splitter.finish();
    if (last != null) {
      actual.add(copy(last));
    }
    if (!expected.equals(actual)) {
      throw new AssertionError("chunked split differs from the whole split: " + actual
          + " vs " + expected);
    }
    if (splitter.carryCapacity() > maxLine + 1 && splitter.carryCapacity() > 256) {
      throw new AssertionError("carry grew past the limit: " + splitter.carryCapacity());
    }

    SourceCounters counters = new SourceCounters();
    JsonLines lines = new JsonLines("fuzz", DECODING, () -> 1234L, counters, NOPLogger.NOP_LOGGER);
    for (Object line : actual) {
      SourceStatus before = counters.status(SourceStatus.State.LIVE, "");
      Event event = null;
      if (line instanceof Marker) {
        lines.tooLarge();
      } else {
        event = lines.decode(ByteBuffer.wrap(((Bytes) line).bytes()));
      }
      SourceStatus after = counters.status(SourceStatus.State.LIVE, "");
      long skips = after.skippedTotal() - before.skippedTotal();
      boolean blank = !(line instanceof Marker) && isBlank(((Bytes) line).bytes());
      if (event != null && skips != 0) {
        throw new AssertionError("an event that was also counted as a skip");
      }
      if (event == null && skips != (blank ? 0 : 1)) {
        throw new AssertionError((blank ? "a blank line counted as a skip: "
            : "a skipped line counted " + skips + " times: ") + after.skipped());
      }
      if (line instanceof Marker && after.skipped().get(SkipReason.TOO_LARGE)
          != before.skipped().get(SkipReason.TOO_LARGE) + 1) {
        throw new AssertionError("a too-long line not counted as TOO_LARGE");
      }
      if (after.events() != before.events() || after.dropped() != before.dropped()) {
        throw new AssertionError("decoding moved the delivery counters");
      }
    }
  }

  private enum Marker { TOO_LARGE }

  private static Object copy(LineSplitter.Line line) {
    if (line.tooLarge()) {
      return Marker.TOO_LARGE;
    }
    ByteBuffer bytes = line.bytes();
    byte[] out = new byte[bytes.remaining()];
    bytes.get(bytes.position(), out);
    return new Bytes(out);
  }

  /** The reference: split everything at once. */
  private static List<Object> wholeSplit(byte[] stream, int maxLine) {
    List<Object> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= stream.length; i++) {
      boolean lf = i < stream.length && stream[i] == '\n';
      boolean tail = i == stream.length && start < stream.length;
      if (!lf && !tail) {
        continue;
      }
      int end = i;
      if (end > start && stream[end - 1] == '\r') {
        end--;
      }
      lines.add(end - start > maxLine ? Marker.TOO_LARGE
          : new Bytes(Arrays.copyOfRange(stream, start, end)));
      start = i + 1;
    }
    return lines;
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Bytes with value equality, printed as text. */
  private record Bytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
