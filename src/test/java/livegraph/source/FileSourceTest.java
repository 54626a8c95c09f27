package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The file source on real files in a temporary directory, polled by a real event loop. */
class FileSourceTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 10;

  @RegisterExtension static final EventLoops loops = new EventLoops(1, "file-source-test");

  @TempDir Path dir;

  private FileSource source;
  private final Queue<Event> events = new ConcurrentLinkedQueue<>();

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private FileSource start(Path path, boolean follow, EventSink sink) {
    source =
        new FileSource(
            new FileSpec("app", path, follow, Decoding.fields("/n")),
            Clock.system(),
            loops.group().next(),
            POLL_MILLIS,
            10_000);
    source.start(sink);
    return source;
  }

  private static String lines(long from, long to) {
    StringBuilder text = new StringBuilder();
    for (long n = from; n < to; n++) {
      text.append("{\"n\":").append(n).append("}\n");
    }
    return text.toString();
  }

  private static void append(Path path, String text) throws IOException {
    Files.writeString(
        path, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private List<Object> numbers() {
    return List.copyOf(events).stream().map(e -> e.fields().get("/n")).toList();
  }

  private void awaitNumbers(long from, long to) {
    List<Object> expected = LongStream.range(from, to).boxed().map(Object.class::cast).toList();
    Poll.until(WAIT, () -> events.size() >= expected.size(), (to - from) + " events, have " + events.size());
    assertThat(numbers()).isEqualTo(expected);
  }

  /** Follows {@code file} and waits until the source says it is following it. */
  private void follow(Path file) {
    start(file, true, events::add);
    awaitState(State.LIVE, "following " + file);
  }

  /** An empty {@code app.log}, followed. */
  private Path followNewFile() throws IOException {
    Path file = dir.resolve("app.log");
    append(file, "");
    follow(file);
    return file;
  }

  /** Appends lines {@code from} to {@code to} and waits until every line so far has come, once and in order. */
  private void appendAndAwait(Path file, long from, long to) throws IOException {
    append(file, lines(from, to));
    awaitNumbers(0, to);
  }

  private void awaitState(State state, String detail) {
    try {
      Poll.until(
          WAIT,
          () -> source.status().state() == state && source.status().detail().equals(detail),
          state + " " + detail);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; status now " + source.status(), e);
    }
  }

  @Test
  void notFollowing_readsFromTheStart_thenIsClosedWithTheLineCount() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(file, "{\"n\":0}\r\n{\"n\":1}\n\n{\"n\":2}\n{\"n\":3}");

    start(file, false, events::add);

    awaitState(State.CLOSED, "end of file (5 lines)");
    assertThat(numbers()).containsExactly(0L, 1L, 2L, 3L);
    assertThat(events).allSatisfy(e -> assertThat(e.fields()).containsEntry("@source", "app"));
    assertThat(source.status().events()).isEqualTo(4);
  }

  @Test
  void notFollowing_aBigFile_throughASinkThatIsSometimesFull_losesNothing() throws IOException {
    Path file = dir.resolve("big.log");
    Files.writeString(file, lines(0, 100_000));
    AtomicLong offers = new AtomicLong();
    // Refuses one offer in a thousand, as a pipeline's intake does when it is busy.
    EventSink sink = e -> offers.incrementAndGet() % 1000 != 0 && events.add(e);

    start(file, false, sink);

    awaitState(State.CLOSED, "end of file (100000 lines)");
    assertThat(source.status().dropped()).isZero();
    assertThat(offers.get()).isGreaterThan(100_000);
    awaitNumbers(0, 100_000);
  }

  @Test
  void notFollowing_aMissingFile_failsSayingSo() {
    Path file = dir.resolve("nope.log");

    start(file, false, events::add);

    awaitState(State.FAILED, "no such file: " + file);
  }

  @Test
  void notFollowing_aSinkThatNeverHasRoom_dropsAfterTheWait_andReachesTheEnd() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(file, lines(0, 3));
    source =
        new FileSource(
            new FileSpec("app", file, false, Decoding.fields("/n")), Clock.system(), loops.group().next(), 10, 5);
    source.start(e -> false);

    awaitState(State.CLOSED, "end of file (3 lines)");
    assertThat(source.status().dropped()).isEqualTo(3);
  }

  @Test
  void following_startsAtTheEnd_andReadsAppendedLines() throws IOException {
    Path file = dir.resolve("app.log");
    append(file, lines(-3, 0));

    follow(file);

    appendAndAwait(file, 0, 3);
    appendAndAwait(file, 3, 5);
  }

  @Test
  void following_aPartialLine_waitsForItsNewline() throws IOException {
    Path file = followNewFile();

    append(file, "{\"n\":");
    append(file, "0}");
    Poll.holds(Duration.ofMillis(150), events::isEmpty, "no event before the newline");
    append(file, "\n");

    awaitNumbers(0, 1);
  }

  @Test
  void following_survivesRotationByRename_everyLineOnce() throws IOException {
    Path file = followNewFile();
    appendAndAwait(file, 0, 100);

    // Written to the old file just before it is moved away, the last one without a newline;
    // then the new file appears with more.
    append(file, lines(100, 199) + "{\"n\":199}");
    Files.move(file, dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
    append(file, lines(200, 300));

    awaitNumbers(0, 300);
    appendAndAwait(file, 300, 310);
    assertThat(source.status().reconnects()).isEqualTo(1);
    assertThat(source.status().skippedTotal()).isZero();
  }

  @Test
  void following_survivesCopyTruncate_everyLineOnce() throws IOException {
    Path file = followNewFile();
    appendAndAwait(file, 0, 100);

    // logrotate's copytruncate: copy the file aside, then cut it to nothing in place.
    Files.copy(file, dir.resolve("app.log.1"));
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.truncate(0);
    }
    append(file, lines(100, 110)); // fewer bytes than before, so the cut shows

    awaitNumbers(0, 110);
    appendAndAwait(file, 110, 120);
  }

  @Test
  void following_aMissingFile_waitsForIt_thenReadsItFromItsStart() throws IOException {
    Path file = dir.resolve("later.log");

    start(file, true, events::add);
    awaitState(State.RECONNECTING, "waiting for " + file);
    append(file, lines(0, 3));

    awaitNumbers(0, 3);
    awaitState(State.LIVE, "following " + file);
  }

  @Test
  void following_aDeletedFile_thenANewOne_readsTheNewOne() throws IOException {
    Path file = followNewFile();
    appendAndAwait(file, 0, 2);

    Files.delete(file);
    append(file, lines(2, 4));

    awaitNumbers(0, 4);
  }

  @Test
  void close_isFinal_nothingIsReadAfterIt() throws IOException {
    Path file = followNewFile();

    source.close();
    append(file, lines(0, 3));

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    Poll.holds(Duration.ofMillis(100), events::isEmpty, "no event after close");
  }
}
