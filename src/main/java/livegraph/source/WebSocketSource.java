package livegraph.source;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} reading a WebSocket of JSON text frames, as a {@link WebSocketSpec} says:
 * sends the subscribe messages after every connect, answers heartbeats, decodes frames through
 * a {@link JsonEventDecoder}, and keeps the connection up with jittered exponential backoff and
 * a dead-socket watchdog. The StackExchange feed is one configuration of it ({@link
 * StackExchangeFeed#spec}).
 *
 * <p>Bounds: a frame over {@link JsonEventDecoder#MAX_CHARS} bytes is skipped as {@link
 * SkipReason#TOO_LARGE} without disconnecting; one over {@link #MAX_WIRE_FRAME_BYTES} (or a
 * fragmented message adding up to more) makes Netty close the connection (1009), counted as
 * TOO_LARGE too, and the source reconnects. Binary frames are skipped as {@link
 * SkipReason#BINARY}.
 *
 * <p>Lifecycle and threads: see {@link ReconnectingSource} and {@link ReconnectLoop}. The raw frame listener runs on the event loop and
 * must not block.
 */
public final class WebSocketSource extends ReconnectingSource {

  /**
   * The largest frame Netty accepts before closing the connection (1009). Frames between
   * {@link JsonEventDecoder#MAX_CHARS} and this are skipped without disconnecting.
   */
  static final int MAX_WIRE_FRAME_BYTES = 8 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSource.class);

  private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 64 * 1024;

  private final WebSocketSpec spec;
  private final SourceContext context;
  private final String liveDetail;
  private final JsonEventDecoder decoder;
  private final Consumer<String> rawFrames; // may be null

  WebSocketSource(WebSocketSpec spec, SourceContext context) {
    this(spec, context, null, null);
  }

  WebSocketSource(
      WebSocketSpec spec,
      SourceContext context,
      Consumer<String> rawFrames,
      Consumer<SourceStatus> statusListener) {
    super(
        Objects.requireNonNull(spec, "spec").name(), spec.description(), spec.url(), "wss", true,
        Objects.requireNonNull(context, "context"), statusListener, LOG);
    this.spec = spec;
    this.context = context;
    this.liveDetail = liveDetail(spec);
    this.decoder = UpstreamFrames.decoder(spec, context.demand());
    this.rawFrames = rawFrames;
  }

  /**
   * A source that also hands every text frame, as it arrived and before decoding, to {@code
   * rawFrames} (on the event loop; it must not block). For recording a feed.
   */
  public static Source recording(
      WebSocketSpec spec, SourceContext context, Consumer<String> rawFrames) {
    return new WebSocketSource(spec, context, Objects.requireNonNull(rawFrames, "rawFrames"), null);
  }

  private static String liveDetail(WebSocketSpec spec) {
    if (spec.subscribe().isEmpty()) {
      return "connected to " + spec.description();
    }
    String first = spec.subscribe().get(0);
    // A subscribe message may be a long JSON document; the status bar needs a hint only.
    String hint = first.length() > 60 ? first.substring(0, 57) + "..." : first;
    int more = spec.subscribe().size() - 1;
    return "subscribed to " + hint + (more > 0 ? " and " + more + " more" : "");
  }

  /** Wall-clock time of the last data frame (heartbeats excluded), or 0 before the first. */
  long lastDataAtMillis() {
    return counters.lastDataAtMillis();
  }

  @Override
  ReconnectLoop.Attempt attempt() {
    WebSocketFrameHandler handler =
        new WebSocketFrameHandler(
            spec,
            decoder,
            context.clock(),
            delivery(),
            counters,
            rawFrames,
            new WebSocketFrameHandler.Listener() {
              @Override
              public void live() {
                loop.live(liveDetail);
              }

              @Override
              public void firstData() {
                loop.resetBackoff();
              }
            });
    return new ReconnectLoop.Attempt() {
      @Override
      public ChannelInitializer<SocketChannel> initializer() {
        return WebSocketSource.this.initializer(handler);
      }

      @Override
      public String closeReason() {
        return handler.closeReason();
      }
    };
  }

  private ChannelInitializer<SocketChannel> initializer(WebSocketFrameHandler handler) {
    long timeoutMillis = ReconnectLoop.CONNECT_TIMEOUT.toMillis();
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(spec.url())
            .maxFramePayloadLength(MAX_WIRE_FRAME_BYTES)
            .handshakeTimeoutMillis(timeoutMillis)
            .forceCloseTimeoutMillis(timeoutMillis)
            .handleCloseFrames(false) // the handler reads the close code for the status line
            .dropPongFrames(true)
            // The handler checks text itself (WebSocketFrameHandler.onText): Netty's validator
            // visits every byte through a callback, 12–27% of a flood's reading thread.
            .withUTF8Validator(false)
            .build();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        addTls(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(new HttpClientCodec());
        p.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
        p.addLast(new WebSocketClientProtocolHandler(config));
        // Bounded like a single frame: a longer fragmented message closes the connection.
        p.addLast(new WebSocketFrameAggregator(MAX_WIRE_FRAME_BYTES));
        p.addLast(handler);
      }
    };
  }
}
