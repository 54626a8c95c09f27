package livegraph.source;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import livegraph.pipeline.Clock;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;

/**
 * The last handler of one Server-Sent Events connection: sends the GET (with {@code
 * Last-Event-ID} when one is known), checks the response, feeds the body to an {@link
 * SseParser} and decodes each event's data into the sink; closes a stream that stays silent.
 *
 * <p>One instance per connection. It never reconnects itself: it records why the connection
 * ended ({@link #closeReason()}) and whether the server asked to stop (HTTP 204, {@link
 * #finalClose()}), and closes it; the source decides what comes next. Every field is owned by
 * the channel's event loop.
 *
 * <p>Any bytes of the body (comments included) count as signs of life for the watchdog; a
 * comment line also counts as a heartbeat.
 */
final class SseHandler extends ChannelInboundHandlerAdapter implements SseParser.Listener {

  /** What outlives one connection: the resume point and the server's reconnection time. */
  static final class Resume {
    String lastEventId = ""; // owned by the source's event loop
    long retryMillis = -1; // -1: the server never said
  }

  /** What the handler reports to its source about the connection. */
  interface Listener {
    /** The response is an event stream; events may follow. */
    void live();

    /** This connection dispatched its first event. */
    void firstEvent();
  }

  private static final int MAX_SHOWN_CHARS = 60;

  private final SseSpec spec;
  private final JsonEventDecoder decoder;
  private final Clock clock;
  private final Delivery delivery;
  private final SourceCounters counters;
  private final Resume resume;
  private final Listener listener;
  private final SilenceWatchdog watchdog;

  private ChannelHandlerContext ctx;
  private SseParser parser; // null until a 200 event-stream response
  private boolean dispatchedEvent;
  private boolean finalClose;
  private String closeReason; // first specific reason wins; null: none known

  SseHandler(
      SseSpec spec,
      JsonEventDecoder decoder,
      Clock clock,
      Delivery delivery,
      SourceCounters counters,
      Resume resume,
      Listener listener) {
    this.spec = spec;
    this.decoder = decoder;
    this.clock = clock;
    this.delivery = delivery;
    this.counters = counters;
    this.resume = resume;
    this.listener = listener;
    this.watchdog = new SilenceWatchdog(spec.silence(), this::silent);
  }

  /** Why the connection ended, for the status line; read once it has closed. */
  String closeReason() {
    if (closeReason != null) {
      return closeReason;
    }
    return parser != null ? "connection lost" : "connection closed before a response";
  }

  /** Whether the server said not to reconnect (HTTP 204 No Content). */
  boolean finalClose() {
    return finalClose;
  }

  /** Whether this connection dispatched any event (then {@code retry:} applies as it is). */
  boolean dispatchedEvent() {
    return dispatchedEvent;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(request());
    // Also bounds the wait for response headers: a server may accept and never answer.
    watchdog.start(ctx);
    ctx.fireChannelActive();
  }

  private FullHttpRequest request() {
    URI url = spec.url();
    String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
    HttpHeaders headers = request.headers();
    headers.set(HttpHeaderNames.HOST, url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost());
    headers.set(HttpHeaderNames.ACCEPT, "text/event-stream");
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    String id = headerValue(resume.lastEventId);
    if (id != null) {
      headers.set("Last-Event-ID", id);
    }
    return request;
  }

  /**
   * The id as a header value: its UTF-8 bytes, one char each, since Netty writes header chars
   * as single bytes. Null when empty or when it holds a control char a header cannot carry
   * (the stream's line breaks and NUL never reach an id; other controls could).
   */
  static String headerValue(String id) {
    if (id.isEmpty()) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return null;
      }
    }
    return new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpObject http && http.decoderResult().isFailure()) {
        badResponse(http.decoderResult());
        return;
      }
      if (msg instanceof HttpResponse response) {
        onResponse(response);
      }
      if (msg instanceof HttpContent content && parser != null) {
        watchdog.alive();
        parser.feed(content.content());
        resume.lastEventId = parser.lastEventId();
        if (msg instanceof LastHttpContent && ctx.channel().isOpen()) {
          recordCloseReason("server ended the stream");
          ctx.close();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onResponse(HttpResponse response) {
    int code = response.status().code();
    if (code == HttpResponseStatus.NO_CONTENT.code()) {
      finalClose = true;
      recordCloseReason("server asked not to reconnect (HTTP 204)");
      ctx.close();
      return;
    }
    if (code != HttpResponseStatus.OK.code()) {
      // The standard phrase, not the server's: the status line is outside input.
      recordCloseReason("HTTP " + code + " " + HttpResponseStatus.valueOf(code).reasonPhrase());
      ctx.close();
      return;
    }
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (!isEventStream(type)) {
      recordCloseReason(
          "not an event stream (Content-Type: " + (type == null ? "none" : shown(type)) + ")");
      ctx.close();
      return;
    }
    parser = new SseParser(resume.lastEventId, this);
    watchdog.alive();
    listener.live();
  }

  /** The media type's essence, compared as the standard says: case-insensitive, no params. */
  static boolean isEventStream(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String essence = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return essence.trim().toLowerCase(Locale.ROOT).equals("text/event-stream");
  }

  private void badResponse(DecoderResult result) {
    Throwable cause = result.cause();
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException) {
      recordCloseReason("response header too large");
    } else if (parser != null) {
      recordCloseReason("stream broken: " + ReconnectLoop.describe(cause));
    } else {
      recordCloseReason("bad HTTP response: " + ReconnectLoop.describe(cause));
    }
    ctx.close();
  }

  @Override
  public void event(String type, String data, String lastEventId) {
    if (!dispatchedEvent) {
      dispatchedEvent = true;
      listener.firstEvent();
    }
    long now = clock.millis();
    counters.dataAt(now);
    Result result = UpstreamFrames.sseEvent(spec, decoder, type, data, lastEventId, now);
    if (result instanceof Decoded decoded) {
      delivery.deliver(decoded.event());
    } else if (result instanceof Skipped skipped) {
      delivery.skip(skipped.reason(), now);
    }
    // A heartbeat result cannot happen: an SSE decoder has no heartbeat rule.
  }

  @Override
  public void retry(long millis) {
    resume.retryMillis = millis;
  }

  @Override
  public void comment() {
    counters.heartbeat();
  }

  @Override
  public void tooLarge() {
    delivery.skip(SkipReason.TOO_LARGE, clock.millis());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    watchdog.stop();
    if (parser != null) {
      parser.end(); // a partial event is not dispatched
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Not passed on: the pipeline's tail would log a stack trace. The source logs one line.
    recordCloseReason(ReconnectLoop.describe(cause));
    ctx.close();
  }

  private void silent() {
    recordCloseReason(
        (parser == null ? "no response for " : "nothing received for ") + watchdog.limit());
    ctx.close();
  }

  private static String shown(String outside) {
    String oneLine = outside.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() > MAX_SHOWN_CHARS ? oneLine.substring(0, MAX_SHOWN_CHARS) + "..." : oneLine;
  }

  private void recordCloseReason(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
  }
}
