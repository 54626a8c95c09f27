package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static final String TOO_LARGE = "<too large>";

  /** Feeds {@code input} in the given chunk sizes (cycled) and collects every line. */
  private static List<String> split(LineSplitter splitter, byte[] input, int... chunkSizes) {
    List<String> out = new ArrayList<>();
    int at = 0;
    int c = 0;
    while (at < input.length) {
      int n = Math.min(chunkSizes[c++ % chunkSizes.length], input.length - at);
      // A fresh copy per chunk: lines must not depend on bytes of an earlier chunk staying put.
      byte[] chunk = Arrays.copyOfRange(input, at, at + n);
      splitter.feed(chunk, 0, n);
      for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
        out.add(text(line));
      }
      Arrays.fill(chunk, (byte) '#');
      at += n;
    }
    return out;
  }

  private static String text(LineSplitter.Line line) {
    if (line.tooLarge()) {
      return TOO_LARGE;
    }
    ByteBuffer b = line.bytes();
    return StandardCharsets.UTF_8.decode(b).toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void lfAndCrlf_areBothLineEnds_andAreStripped() {
    List<String> lines = split(new LineSplitter(), bytes("a\nb\r\n\r\nc\n\nd\r\n"), 1000);

    assertThat(lines).containsExactly("a", "b", "", "c", "", "d");
  }

  @Test
  void loneCr_insideALine_isKept() {
    assertThat(split(new LineSplitter(), bytes("a\rb\n"), 100)).containsExactly("a\rb");
  }

  @Test
  void lineSplitAcrossReads_isJoined_atEverySplitPoint() {
    byte[] input = bytes("{\"k\":\"é€\"}\r\n{\"n\":1}\n\nlast\n");
    List<String> whole = split(new LineSplitter(), input, input.length);
    for (int size = 1; size < input.length; size++) {
      assertThat(split(new LineSplitter(), input, size)).as("chunks of %d", size).isEqualTo(whole);
    }
    // A CR and its LF in different chunks.
    int cr = indexOf(input, (byte) '\r');
    assertThat(split(new LineSplitter(), input, cr + 1, input.length)).isEqualTo(whole);
  }

  @Test
  void randomChunking_givesTheSameLinesAsSplittingTheWholeText() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      StringBuilder text = new StringBuilder();
      List<String> expected = new ArrayList<>();
      int count = random.nextInt(20);
      for (int i = 0; i < count; i++) {
        String line = "x".repeat(random.nextInt(30)) + i;
        expected.add(line);
        text.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
      }
      int[] sizes = random.ints(5, 1, 40).toArray();
      assertThat(split(new LineSplitter(), bytes(text.toString()), sizes)).isEqualTo(expected);
    }
  }

  @Test
  void longLine_isReportedOnce_andTheRestIsSkippedUpToTheNewline() {
    LineSplitter splitter = new LineSplitter(10);
    byte[] input = bytes("short\n" + "y".repeat(35) + "\nafter\n");

    assertThat(split(splitter, input, 4)).containsExactly("short", TOO_LARGE, "after");
  }

  @Test
  void longLine_withinOneChunk_isTooLarge() {
    assertThat(split(new LineSplitter(10), bytes("y".repeat(11) + "\nok\n"), 100))
        .containsExactly(TOO_LARGE, "ok");
  }

  @Test
  void lineOfExactlyTheLimit_isKept_withOrWithoutCr() {
    String ten = "0123456789";
    byte[] input = bytes(ten + "\r\n" + ten + "\n" + ten + "x\r\n");

    for (int size = 1; size <= input.length; size++) {
      assertThat(split(new LineSplitter(10), input, size))
          .as("chunks of %d", size)
          .containsExactly(ten, ten, TOO_LARGE);
    }
  }

  @Test
  void longLine_isNeverBuffered_beyondTheLimit() {
    int max = 1 << 20;
    LineSplitter splitter = new LineSplitter(max);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'z');
    int reports = 0;
    for (int i = 0; i < 160; i++) { // 10 MiB without a newline
      splitter.feed(chunk, 0, chunk.length);
      for (LineSplitter.Line line = splitter.next(); line != null; line = splitter.next()) {
        assertThat(line.tooLarge()).isTrue();
        reports++;
      }
      assertThat(splitter.carryCapacity()).isLessThanOrEqualTo(max + 1);
    }
    byte[] end = bytes("zz\n{}\n");
    splitter.feed(end, 0, end.length);
    LineSplitter.Line next = splitter.next();

    assertThat(reports).isEqualTo(1);
    assertThat(text(next)).isEqualTo("{}");
    assertThat(splitter.next()).isNull();
  }

  @Test
  void finish_returnsTheUnterminatedLastLine_once() {
    LineSplitter splitter = new LineSplitter();
    assertThat(split(splitter, bytes("a\nb\r"), 3)).containsExactly("a");

    assertThat(text(splitter.finish())).isEqualTo("b");
    assertThat(splitter.finish()).isNull();
  }

  @Test
  void finish_insideALongLine_returnsNothing() {
    LineSplitter splitter = new LineSplitter(4);
    assertThat(split(splitter, bytes("abcdefgh"), 3)).containsExactly(TOO_LARGE);

    assertThat(splitter.finish()).isNull();
  }

  @Test
  void reset_forgetsThePartialLine() {
    LineSplitter splitter = new LineSplitter();
    split(splitter, bytes("{\"half"), 100);
    splitter.reset();

    assertThat(split(splitter, bytes("new\n"), 100)).containsExactly("new");
  }

  @Test
  void callerMayStopBetweenLines_andResumeWithTheSameChunk() {
    LineSplitter splitter = new LineSplitter();
    byte[] input = bytes("1\n2\n3\n4");
    splitter.feed(input, 0, input.length);

    assertThat(text(splitter.next())).isEqualTo("1");
    assertThat(splitter.hasInput()).isTrue();
    assertThatThrownBy(() -> splitter.feed(input, 0, 1)).isInstanceOf(IllegalStateException.class);
    assertThat(text(splitter.next())).isEqualTo("2");
    assertThat(text(splitter.next())).isEqualTo("3");
    assertThat(splitter.next()).isNull();
    assertThat(text(splitter.finish())).isEqualTo("4");
  }

  @Test
  void feed_withAnOffset_splitsOnlyThatRange() {
    LineSplitter splitter = new LineSplitter();
    byte[] input = bytes("xx\na\nb\nyy");
    splitter.feed(input, 3, 4);

    assertThat(text(splitter.next())).isEqualTo("a");
    assertThat(text(splitter.next())).isEqualTo("b");
    assertThat(splitter.next()).isNull();
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
