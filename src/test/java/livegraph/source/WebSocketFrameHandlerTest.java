package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The connection handler on an in-memory channel: no sockets, time driven by the test. */
class WebSocketFrameHandlerTest {

  private static final String QUESTION =
      "{\"action\":\"155-questions-active\",\"data\":\"{\\\"apiSiteParameter\\\":\\\"diy\\\","
          + "\\\"titleEncodedFancy\\\":\\\"Q &amp; A\\\",\\\"tags\\\":[\\\"wiring\\\"]}\"}";
  private static final String HEARTBEAT = "{\"action\":\"hb\",\"data\":\"hb\"}";

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<Event> events = new ArrayList<>();
  private final List<String> raw = new ArrayList<>();
  private final SourceCounters counters = new SourceCounters();
  private boolean sinkAccepts = true;
  private boolean sinkSaysFull; // what the sink's full() answers
  private int offers;
  private int refusedUndecoded;
  private int liveCalls;
  private int firstDataCalls;
  private WebSocketFrameHandler handler;
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    connect(StackExchangeFeed.spec("se", URI.create("ws://127.0.0.1/"), Duration.ofSeconds(5)));
  }

  private void connect(WebSocketSpec spec) {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
    handler =
        new WebSocketFrameHandler(
            spec,
            new JsonEventDecoder(spec.decoding(), spec.heartbeat() == null ? Map.of() : spec.heartbeat().match()),
            clock::get,
            new Delivery(new EventSink() {
              @Override
              public boolean offer(Event event) {
                offers++;
                return sinkAccepts && events.add(event);
              }

              @Override
              public boolean full() {
                return sinkSaysFull;
              }

              @Override
              public void refused() {
                refusedUndecoded++;
              }
            }, counters, LoggerFactory.getLogger(getClass()), "test"),
            counters,
            raw::add,
            new WebSocketFrameHandler.Listener() {
              @Override
              public void live() {
                liveCalls++;
              }

              @Override
              public void firstData() {
                firstDataCalls++;
              }
            });
    channel = new EmbeddedChannel(handler);
    channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  private String nextWrittenText() {
    Object written = channel.readOutbound();
    assertThat(written).isInstanceOf(TextWebSocketFrame.class);
    TextWebSocketFrame frame = (TextWebSocketFrame) written;
    try {
      return frame.text();
    } finally {
      frame.release();
    }
  }

  private SourceStatus status() {
    return counters.status(State.LIVE, "");
  }

  @Test
  void handshakeComplete_sendsChannelNameAsPlainText_andReportsLive() {
    assertThat(nextWrittenText()).isEqualTo("155-questions-active");
    assertThat(liveCalls).isEqualTo(1);
    Object nothingMore = channel.readOutbound();
    assertThat(nothingMore).isNull();
  }

  @Test
  void heartbeat_isAnsweredWithHb_andIsNotData() {
    nextWrittenText(); // subscription
    channel.writeInbound(new TextWebSocketFrame(HEARTBEAT));

    assertThat(nextWrittenText()).isEqualTo("hb");
    assertThat(status().heartbeats()).isEqualTo(1);
    assertThat(events).isEmpty();
    assertThat(firstDataCalls).isZero();
    assertThat(counters.lastDataAtMillis()).isZero();
    assertThat(raw).containsExactly(HEARTBEAT);
  }

  @Test
  void dataFrame_becomesEventStampedWithArrivalTime() {
    clock.set(42_000);
    channel.writeInbound(new TextWebSocketFrame(QUESTION));

    assertThat(events).hasSize(1);
    Event event = events.get(0);
    assertThat(event.timeMillis()).isEqualTo(42_000);
    assertThat(event.string("apiSiteParameter")).isEqualTo("diy");
    assertThat(event.string("title")).isEqualTo("Q & A");
    assertThat(event.keys("tags")).containsExactly("wiring");
    assertThat(event.string("@source")).isEqualTo("se");
    assertThat(status().events()).isEqualTo(1);
    assertThat(firstDataCalls).isEqualTo(1);
    assertThat(counters.lastDataAtMillis()).isEqualTo(42_000);
    assertThat(raw).containsExactly(QUESTION);
  }

  @Test
  void fullSink_countsDropped() {
    sinkAccepts = false;
    channel.writeInbound(new TextWebSocketFrame(QUESTION));
    assertThat(status().events()).isZero();
    assertThat(status().dropped()).isEqualTo(1);
  }

  @Test
  void sinkSayingFull_dataIsRefusedUndecodedAndCountedDropped_heartbeatsStillAnswered_skipsStillCounted() {
    nextWrittenText(); // subscription
    sinkAccepts = false;
    sinkSaysFull = true;
    channel.writeInbound(new TextWebSocketFrame(QUESTION));
    channel.writeInbound(new TextWebSocketFrame(HEARTBEAT));
    channel.writeInbound(new TextWebSocketFrame("not json"));
    channel.writeInbound(new TextWebSocketFrame("{\"action\":\"1-22656-reputation\",\"data\":\"1\"}"));
    channel.writeInbound(new TextWebSocketFrame(QUESTION));

    assertThat(offers).as("never offered: refused before an event was made").isZero();
    assertThat(refusedUndecoded).isEqualTo(2);
    assertThat(status().dropped()).isEqualTo(2);
    assertThat(status().events()).isZero();
    assertThat(nextWrittenText()).isEqualTo("hb");
    assertThat(status().heartbeats()).isEqualTo(1);
    assertThat(status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 1L)
        .containsEntry(SkipReason.OTHER_CHANNEL, 1L);
    assertThat(firstDataCalls).isEqualTo(1);
    assertThat(counters.lastDataAtMillis()).isEqualTo(clock.get());

    // Room again: the next question is decoded and taken.
    sinkAccepts = true;
    sinkSaysFull = false;
    channel.writeInbound(new TextWebSocketFrame(QUESTION));
    assertThat(events).hasSize(1);
    assertThat(status().events()).isEqualTo(1);
    assertThat(status().dropped()).isEqualTo(2);
  }

  @Test
  void binaryFrame_isSkippedAsBinary_connectionStaysOpen() {
    channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    assertThat(status().skipped()).containsEntry(SkipReason.BINARY, 1L);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void malformedAndOtherChannelFrames_areCountedByReason() {
    channel.writeInbound(new TextWebSocketFrame("not json"));
    channel.writeInbound(new TextWebSocketFrame("{\"action\":\"1-22656-reputation\",\"data\":\"679,081\"}"));
    assertThat(status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 1L)
        .containsEntry(SkipReason.OTHER_CHANNEL, 1L);
    assertThat(status().skippedTotal()).isEqualTo(2);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void frameOverOneMebibyte_isSkippedAsTooLarge_withoutDisconnecting() {
    String big = "{\"action\":\"hb\",\"data\":\"" + "x".repeat(JsonEventDecoder.MAX_CHARS) + "\"}";
    channel.writeInbound(new TextWebSocketFrame(big));
    channel.writeInbound(new TextWebSocketFrame(QUESTION));

    assertThat(status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(events).hasSize(1);
    assertThat(channel.isOpen()).isTrue();
    assertThat(raw).hasSize(2); // the recorder still sees the oversized frame
  }

  @Test
  void frameBeyondNettyLimit_countsTooLarge_andClosesForReconnect() {
    channel.pipeline().fireExceptionCaught(
        new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length exceeded"));
    assertThat(status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("frame too large");
  }

  @Test
  void closeFrameFromServer_closesWithCodeInReason() {
    channel.writeInbound(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("connection closed by server (1000)");
  }

  @Test
  void silence_closesAfterTimeout_heartbeatsDoNotCount() {
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    channel.writeInbound(new TextWebSocketFrame(HEARTBEAT));
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("no data for 5 s");
  }

  @Test
  void dataFrame_restartsTheSilenceTimer() {
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    channel.writeInbound(new TextWebSocketFrame(QUESTION));
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("4 s after the last data").isTrue();

    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("5 s after the last data").isFalse();
  }

  @Test
  void closedConnection_withoutReason_isReportedAsLost() {
    channel.close();
    assertThat(handler.closeReason()).isEqualTo("connection lost");
  }

  @Test
  void everySubscribeMessage_isSentInOrder_afterTheHandshake() {
    connect(new WebSocketSpec("gen", URI.create("ws://127.0.0.1/"),
        List.of("{\"op\":\"subscribe\",\"args\":[\"a\"]}", "{\"op\":\"subscribe\",\"args\":[\"b\"]}"),
        null, Duration.ofSeconds(5), Decoding.fields("v")));
    assertThat(nextWrittenText()).isEqualTo("{\"op\":\"subscribe\",\"args\":[\"a\"]}");
    assertThat(nextWrittenText()).isEqualTo("{\"op\":\"subscribe\",\"args\":[\"b\"]}");
    Object nothingMore = channel.readOutbound();
    assertThat(nothingMore).isNull();
  }

  @Test
  void heartbeatRuleWithoutReply_isCountedButNotAnswered() {
    connect(new WebSocketSpec("gen", URI.create("ws://127.0.0.1/"), List.of(),
        new WebSocketSpec.HeartbeatRule(Map.of("type", "ping"), null), Duration.ofSeconds(5),
        Decoding.fields("v")));
    channel.writeInbound(new TextWebSocketFrame("{\"type\":\"ping\"}"));
    Object written = channel.readOutbound();
    assertThat(written).isNull();
    assertThat(status().heartbeats()).isEqualTo(1);
    assertThat(events).isEmpty();
  }

  @Test
  void genericDecoding_readsFieldsAndEventTime_andTagsTheSourceName() {
    connect(new WebSocketSpec("trades", URI.create("ws://127.0.0.1/"), List.of(),
        new WebSocketSpec.HeartbeatRule(Map.of("type", "ping"), "{\"type\":\"pong\"}"),
        Duration.ofSeconds(5),
        new Decoding(Map.of("type", "trade"), null, "ts",
            List.of(Decoding.Extract.of("price"), new Decoding.Extract("sym", "/s", false)))));
    channel.writeInbound(new TextWebSocketFrame("{\"type\":\"ping\"}"));
    assertThat(nextWrittenText()).isEqualTo("{\"type\":\"pong\"}");
    channel.writeInbound(new TextWebSocketFrame("{\"type\":\"trade\",\"ts\":1700000000000,\"price\":1.5,\"s\":\"X\"}"));
    channel.writeInbound(new TextWebSocketFrame("{\"type\":\"quote\",\"price\":1}"));

    assertThat(events).containsExactly(new Event(1_700_000_000_000L,
        Map.of("price", 1.5, "sym", "X", "@source", "trades")));
    assertThat(status().skipped()).containsEntry(SkipReason.OTHER_CHANNEL, 1L);
    assertThat(status().heartbeats()).isEqualTo(1);
  }

  @Test
  void textFrameThatIsNotUtf8_countsInvalidUtf8_andCloses() {
    channel.pipeline().fireExceptionCaught(
        new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bad UTF-8"));
    assertThat(status().skipped()).containsEntry(SkipReason.INVALID_UTF8, 1L);
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("text frame was not UTF-8");
  }

  @Test
  void textFrameWithBytesThatAreNotUtf8_isCountedOnce_answered1007_andClosed() {
    nextWrittenText(); // subscription
    byte[] bytes = QUESTION.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    bytes[QUESTION.indexOf("diy")] = (byte) 0xFF;
    channel.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));

    assertThat(status().skipped()).containsEntry(SkipReason.INVALID_UTF8, 1L);
    assertThat(status().skippedTotal()).isEqualTo(1);
    assertThat(events).isEmpty();
    assertThat(raw).as("never recorded as text").isEmpty();
    Object written = channel.readOutbound();
    assertThat(written).isInstanceOf(CloseWebSocketFrame.class);
    assertThat(((CloseWebSocketFrame) written).statusCode())
        .isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code());
    ((CloseWebSocketFrame) written).release();
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("text frame was not UTF-8");
  }

  @Test
  void textHoldingAReplacementCharacter_isValidUtf8_andDecoded() {
    String question = QUESTION.replace("diy", "d\ufffdy");
    channel.writeInbound(new TextWebSocketFrame(question));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).string("apiSiteParameter")).isEqualTo("d\ufffdy");
    assertThat(status().skippedTotal()).isZero();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void closedBeforeTheHandshake_saysSo() {
    EmbeddedChannel fresh = new EmbeddedChannel(new WebSocketFrameHandler(
        StackExchangeFeed.spec("se", URI.create("ws://127.0.0.1/"), Duration.ofSeconds(5)),
        new JsonEventDecoder(Decoding.fields("v")), clock::get,
        new Delivery(events::add, counters, LoggerFactory.getLogger(getClass()), "test"),
        counters, null, new WebSocketFrameHandler.Listener() {
          @Override
          public void live() {}

          @Override
          public void firstData() {}
        }));
    WebSocketFrameHandler freshHandler = fresh.pipeline().get(WebSocketFrameHandler.class);
    fresh.close();
    assertThat(freshHandler.closeReason()).isEqualTo("connection closed during handshake");
  }
}
