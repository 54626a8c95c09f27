package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The SSE connection handler on an in-memory channel: no sockets, time driven by the test. */
class SseHandlerTest {

  private static final URI URL = URI.create("http://127.0.0.1:8080/stream?topic=a%20b");

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<Event> events = new ArrayList<>();
  private final SourceCounters counters = new SourceCounters();
  private final SseHandler.Resume resume = new SseHandler.Resume();
  private boolean sinkAccepts = true;
  private int liveCalls;
  private int firstEventCalls;
  private SseHandler handler;
  private EmbeddedChannel channel;

  private void connect(Set<String> types) {
    SseSpec spec = new SseSpec("feed", URL, types, Duration.ofSeconds(5),
        new Decoding(Map.of(), null, null, List.of(
            Decoding.Extract.of("v"), Decoding.Extract.of("@event"), Decoding.Extract.of("@id"))));
    handler = new SseHandler(
        spec,
        new JsonEventDecoder(spec.decoding()),
        clock::get,
        new Delivery(event -> sinkAccepts && events.add(event), counters,
            LoggerFactory.getLogger(getClass()), "test"),
        counters,
        resume,
        new SseHandler.Listener() {
          @Override
          public void live() {
            liveCalls++;
          }

          @Override
          public void firstEvent() {
            firstEventCalls++;
          }
        });
    channel = new EmbeddedChannel(handler); // registers and activates: the request goes out
  }

  private void connect() {
    connect(Set.of());
  }

  @AfterEach
  void tearDown() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private FullHttpRequest request() {
    Object written = channel.readOutbound();
    assertThat(written).isInstanceOf(FullHttpRequest.class);
    return (FullHttpRequest) written;
  }

  private void respond(HttpResponseStatus status, String contentType) {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    if (contentType != null) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    channel.writeInbound(response);
  }

  private void streaming() {
    respond(HttpResponseStatus.OK, "text/event-stream; charset=utf-8");
  }

  private void body(String text) {
    channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
  }

  private SourceStatus status() {
    return counters.status(State.LIVE, "");
  }

  @Test
  void request_isAGetOfPathAndQuery_acceptingEventStreams_withoutAnIdAtFirst() {
    connect();
    FullHttpRequest request = request();
    try {
      assertThat(request.method()).isEqualTo(HttpMethod.GET);
      assertThat(request.uri()).isEqualTo("/stream?topic=a%20b");
      assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("127.0.0.1:8080");
      assertThat(request.headers().get(HttpHeaderNames.ACCEPT)).isEqualTo("text/event-stream");
      assertThat(request.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
      assertThat(request.headers().contains("Last-Event-ID")).isFalse();
    } finally {
      request.release();
    }
  }

  @Test
  void request_carriesTheLastEventId_ofThePreviousConnection() {
    resume.lastEventId = "42";
    connect();
    FullHttpRequest request = request();
    try {
      assertThat(request.headers().get("Last-Event-ID")).isEqualTo("42");
    } finally {
      request.release();
    }
  }

  @Test
  void lastEventIdHeader_isTheIdsUtf8Bytes_andControlCharactersAreNotSent() {
    assertThat(SseHandler.headerValue("")).isNull();
    assertThat(SseHandler.headerValue("abc-1")).isEqualTo("abc-1");
    assertThat(SseHandler.headerValue("\u20ac").getBytes(StandardCharsets.ISO_8859_1))
        .isEqualTo("\u20ac".getBytes(StandardCharsets.UTF_8));
    assertThat(SseHandler.headerValue("a\u0001b")).isNull();
    assertThat(SseHandler.headerValue("a\u007fb")).isNull();
    assertThat(SseHandler.headerValue("a\tb")).isEqualTo("a\tb");
  }

  @Test
  void eventStream_isRecognisedByItsMediaType_caseAndParametersIgnored() {
    assertThat(SseHandler.isEventStream("text/event-stream")).isTrue();
    assertThat(SseHandler.isEventStream("Text/Event-Stream ; charset=UTF-8")).isTrue();
    assertThat(SseHandler.isEventStream("text/plain")).isFalse();
    assertThat(SseHandler.isEventStream("text/event-streams")).isFalse();
    assertThat(SseHandler.isEventStream(null)).isFalse();
  }

  @Test
  void okEventStream_isLive_andEventsCarryTypeIdAndSourceName() {
    connect();
    streaming();
    assertThat(liveCalls).isEqualTo(1);

    clock.set(5_000);
    body("id: 7\nevent: trade\ndata: {\"v\":1}\n\n");
    body("data: {\"v\":2}\n\n");

    assertThat(events).containsExactly(
        new Event(5_000, Map.of("v", 1L, "@event", "trade", "@id", "7", "@source", "feed")),
        new Event(5_000, Map.of("v", 2L, "@event", "message", "@id", "7", "@source", "feed")));
    assertThat(status().events()).isEqualTo(2);
    assertThat(firstEventCalls).isEqualTo(1);
    assertThat(resume.lastEventId).isEqualTo("7");
    assertThat(counters.lastDataAtMillis()).isEqualTo(5_000);
  }

  @Test
  void eventsWithoutAnId_haveNoIdField() {
    connect();
    streaming();
    body("data: {\"v\":1}\n\n");
    assertThat(events.get(0).fields()).doesNotContainKey("@id");
  }

  @Test
  void eventTypesNotAsked_areSkippedAsOtherChannel() {
    connect(Set.of("trade"));
    streaming();
    body("event: quote\ndata: {\"v\":1}\n\nevent: trade\ndata: {\"v\":2}\n\ndata: {\"v\":3}\n\n");
    assertThat(events).extracting(e -> e.fields().get("v")).containsExactly(2L);
    assertThat(status().skipped()).containsEntry(SkipReason.OTHER_CHANNEL, 2L);
  }

  @Test
  void badData_isCountedByReason_andTheStreamGoesOn() {
    connect();
    streaming();
    body("data: not json\n\ndata: [1]\n\ndata: {\"v\":\ndata: 3}\n\n");
    assertThat(status().skipped())
        .containsEntry(SkipReason.NOT_JSON, 1L)
        .containsEntry(SkipReason.WRONG_TYPE, 1L);
    assertThat(events).extracting(e -> e.fields().get("v")).containsExactly(3L);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void tooLargeEvent_isSkippedAsTooLarge() {
    connect();
    streaming();
    body("data: " + "x".repeat(SseParser.MAX_DATA_CHARS + 1) + "\n\ndata: {\"v\":1}\n\n");
    assertThat(status().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    assertThat(events).hasSize(1);
  }

  @Test
  void fullSink_countsDropped() {
    connect();
    streaming();
    sinkAccepts = false;
    body("data: {\"v\":1}\n\n");
    assertThat(status().events()).isZero();
    assertThat(status().dropped()).isEqualTo(1);
  }

  @Test
  void comments_countAsHeartbeats() {
    connect();
    streaming();
    body(": ping\n\n: ping\n");
    assertThat(status().heartbeats()).isEqualTo(2);
    assertThat(events).isEmpty();
  }

  @Test
  void retry_isRememberedForTheNextConnection() {
    connect();
    streaming();
    body("retry: 1500\n");
    assertThat(resume.retryMillis).isEqualTo(1500);
  }

  @Test
  void endOfStream_closes_andAPartialEventIsDiscarded() {
    connect();
    streaming();
    body("data: {\"v\":1}\n\ndata: {\"v\":2}\n");
    channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("\n", StandardCharsets.UTF_8)));
    assertThat(events).as("the end chunk's blank line still dispatches").hasSize(2);
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("server ended the stream");
    assertThat(handler.finalClose()).isFalse();
  }

  @Test
  void connectionLost_midEvent_dispatchesNothingMore() {
    connect();
    streaming();
    body("data: {\"v\":1}\n");
    channel.close();
    assertThat(events).isEmpty();
    assertThat(handler.closeReason()).isEqualTo("connection lost");
  }

  @Test
  void noContent_asksNotToReconnect() {
    connect();
    respond(HttpResponseStatus.NO_CONTENT, null);
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.finalClose()).isTrue();
    assertThat(handler.closeReason()).isEqualTo("server asked not to reconnect (HTTP 204)");
    assertThat(liveCalls).isZero();
  }

  @Test
  void otherStatus_closesWithTheStatusInTheReason() {
    connect();
    respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/event-stream");
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.finalClose()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("HTTP 503 Service Unavailable");
  }

  @Test
  void wrongContentType_closesNamingIt() {
    connect();
    respond(HttpResponseStatus.OK, "text/html; charset=utf-8");
    assertThat(liveCalls).isZero();
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("not an event stream (Content-Type: text/html; charset=utf-8)");
  }

  @Test
  void missingContentType_closesSayingSo() {
    connect();
    respond(HttpResponseStatus.OK, null);
    assertThat(handler.closeReason()).isEqualTo("not an event stream (Content-Type: none)");
  }

  @Test
  void oversizedResponseHead_closes() {
    connect();
    HttpResponse broken = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    broken.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("header too long")));
    channel.writeInbound(broken);
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("response header too large");
  }

  @Test
  void closedBeforeAnyResponse_saysSo() {
    connect();
    channel.close();
    assertThat(handler.closeReason()).isEqualTo("connection closed before a response");
  }

  @Test
  void silence_afterTheResponse_closes_butCommentsKeepItAlive() {
    connect();
    streaming();
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    body(": keep-alive\n");
    channel.advanceTimeBy(4, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).as("4 s after the comment").isTrue();

    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("nothing received for 5 s");
  }

  @Test
  void noResponse_withinTheSilenceLimit_closes() {
    connect();
    channel.advanceTimeBy(5, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(handler.closeReason()).isEqualTo("no response for 5 s");
  }

  @Test
  void reconnectDelay_isTheServersRetry_boundedByTheCap_andNotShorterThanBackoffAfterNothing() {
    assertThat(SseSource.delayMillis(-1, true, 700, 30_000)).as("no retry: backoff").isEqualTo(700);
    assertThat(SseSource.delayMillis(200, true, 700, 30_000)).as("retry after events").isEqualTo(200);
    assertThat(SseSource.delayMillis(0, true, 700, 30_000)).isZero();
    assertThat(SseSource.delayMillis(60_000, true, 700, 30_000)).as("capped").isEqualTo(30_000);
    assertThat(SseSource.delayMillis(200, false, 700, 30_000)).as("no events: backoff wins").isEqualTo(700);
    assertThat(SseSource.delayMillis(5_000, false, 700, 30_000)).isEqualTo(5_000);
  }
}
