package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.pipeline.Event;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The TCP line decoder and handler without sockets. */
class TcpLineHandlerTest {

  private final SourceCounters counters = new SourceCounters();
  private final List<Event> events = new ArrayList<>();
  private final AtomicBoolean room = new AtomicBoolean(true);
  private final AtomicInteger dataCalls = new AtomicInteger();
  private final JsonLines lines =
      new JsonLines(
          "tcp", Decoding.fields("/n"), () -> 7L, counters, LoggerFactory.getLogger(TcpLineHandlerTest.class));

  private EmbeddedChannel channel(int maxLineBytes, long maxWaitMillis) {
    EventSink sink = e -> room.get() && events.add(e);
    return new EmbeddedChannel(
        new TcpLineDecoder(maxLineBytes),
        new TcpLineHandler(lines, sink, () -> false, maxWaitMillis, dataCalls::incrementAndGet));
  }

  private static void write(EmbeddedChannel ch, String text) {
    ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private SourceStatus status() {
    return counters.status(SourceStatus.State.LIVE, "");
  }

  private List<Object> numbers() {
    return events.stream().map(e -> e.fields().get("/n")).toList();
  }

  @Test
  void eachLine_isAnEvent_crlfAndBlankLinesToo_splitAcrossWrites() {
    EmbeddedChannel ch = channel(1 << 20, 1000);

    write(ch, "{\"n\":1}\r\n\n{\"n\"");
    write(ch, ":2}\n   \n{\"n\":3}\n");

    assertThat(numbers()).containsExactly(1L, 2L, 3L);
    assertThat(events.get(0).fields()).containsEntry("@source", "tcp");
    assertThat(dataCalls.get()).isEqualTo(1);
    assertThat(status().skippedTotal()).isZero();
  }

  @Test
  void tooLongLine_isCountedAsTooLarge_andTheConnectionCarriesOn() {
    EmbeddedChannel ch = channel(16, 1000);

    write(ch, "{\"n\":1}\n{\"n\":\"" + "x".repeat(40));
    write(ch, "x".repeat(40) + "\"}\n{\"n\":2}\n");

    assertThat(numbers()).containsExactly(1L, 2L);
    assertThat(status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(ch.isActive()).isTrue();
  }

  @Test
  void lastLineWithoutNewline_isAnEvent_whenThePeerCloses() {
    EmbeddedChannel ch = channel(1 << 20, 1000);

    write(ch, "{\"n\":1}\n{\"n\":2}");
    assertThat(numbers()).containsExactly(1L);
    ch.finish();

    assertThat(numbers()).containsExactly(1L, 2L);
  }

  @Test
  void badLines_areSkippedByReason() {
    EmbeddedChannel ch = channel(1 << 20, 1000);

    write(ch, "nope\n[]\n{\"n\":1}\n");
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'"', (byte) 0xFE, '"', '\n'}));

    assertThat(numbers()).containsExactly(1L);
    assertThat(status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L)
        .containsEntry(SkipReason.INVALID_UTF8, 1L);
  }

  @Test
  void fullSink_stopsReading_andTheWaitingLinesGoOnceThereIsRoom() {
    EmbeddedChannel ch = channel(1 << 20, 60_000);
    room.set(false);

    write(ch, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");

    assertThat(ch.config().isAutoRead()).isFalse();
    assertThat(events).isEmpty();
    room.set(true);
    runRetry(ch);

    assertThat(numbers()).containsExactly(1L, 2L, 3L);
    assertThat(ch.config().isAutoRead()).isTrue();
    assertThat(status().events()).isEqualTo(3);
    assertThat(status().dropped()).isZero();
  }

  @Test
  void fullSink_beyondTheWait_dropsAndCounts_thenReadsOn() {
    EmbeddedChannel ch = channel(1 << 20, 0);
    room.set(false);

    write(ch, "{\"n\":1}\n{\"n\":2}\n");
    runRetry(ch);

    assertThat(status().dropped()).isEqualTo(2);
    assertThat(ch.config().isAutoRead()).isTrue();
    room.set(true);
    write(ch, "{\"n\":3}\n");
    assertThat(numbers()).containsExactly(3L);
  }

  @Test
  void waitingLines_areCapped_theRestDroppedAndCounted() {
    EmbeddedChannel ch = channel(1 << 20, 60_000);
    room.set(false);
    StringBuilder text = new StringBuilder();
    int extra = 5;
    for (int i = 0; i < TcpLineHandler.MAX_WAITING + extra; i++) {
      text.append("{\"n\":").append(i).append("}\n");
    }

    write(ch, text.toString());

    assertThat(status().dropped()).isEqualTo(extra);
    room.set(true);
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(status().events()).isEqualTo(TcpLineHandler.MAX_WAITING);
  }

  /** Lets the handler's 1 ms retry run on the embedded channel's clock. */
  private static void runRetry(EmbeddedChannel ch) {
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }
}
