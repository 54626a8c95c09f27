package livegraph.source;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Source} reading a Server-Sent Events stream with EventSource semantics, as an
 * {@link SseSpec} says: each event's data is one JSON message for the {@link JsonEventDecoder},
 * with meta fields {@code @event} (the type, {@code message} by default), {@code @id} (the last
 * event ID, absent while empty) and {@code @source}. Comment lines count as heartbeats.
 *
 * <p>Reconnects, with {@code Last-Event-ID} set to the last id seen, whenever the stream ends,
 * breaks, stays silent, or the server answers with anything but {@code 200} and {@code
 * text/event-stream} (the status says which). The standard gives up on a wrong status or type;
 * a dashboard would rather show why and keep trying, with backoff. HTTP 204 is the server's way
 * to say "stop": the source then stays CLOSED. Redirects are not followed (the status shows the
 * code). The delay is the server's {@code retry:} (at most the backoff cap) after a connection
 * that delivered events, and never shorter than the backoff after one that did not, so a
 * server answering {@code retry: 0} and nothing else cannot make it spin.
 *
 * <p>Why Netty's HTTP client codec rather than the JDK's {@code HttpClient}: the source then
 * runs on the injected event loop like every other network source (one owner thread, no
 * executor of its own), body chunks reach the parser as they arrive with no unbounded line
 * collector in between, and the connection handler is testable on an {@code EmbeddedChannel}
 * with time driven by the test. The parser ({@link SseParser}) is small and has its own tests.
 *
 * <p>Lifecycle and threads: see {@link ReconnectingSource} and {@link ReconnectLoop}.
 */
public final class SseSource extends ReconnectingSource {

  private static final Logger LOG = LoggerFactory.getLogger(SseSource.class);

  // Bounds of the response head; the body is bounded by the parser, one chunk at a time.
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final SseSpec spec;
  private final SourceContext context;
  private final JsonEventDecoder decoder;
  private final SseHandler.Resume resume = new SseHandler.Resume(); // owned by the event loop

  SseSource(SseSpec spec, SourceContext context) {
    this(spec, context, null);
  }

  SseSource(SseSpec spec, SourceContext context, Consumer<SourceStatus> statusListener) {
    super(
        Objects.requireNonNull(spec, "spec").name(), spec.description(), spec.url(), "https", false,
        Objects.requireNonNull(context, "context"), statusListener, LOG);
    this.spec = spec;
    this.context = context;
    this.decoder = UpstreamFrames.decoder(spec, context.demand());
  }

  @Override
  ReconnectLoop.Attempt attempt() {
    SseHandler handler =
        new SseHandler(
            spec,
            decoder,
            context.clock(),
            delivery(),
            counters,
            resume,
            new SseHandler.Listener() {
              @Override
              public void live() {
                loop.live("streaming " + spec.description());
              }

              @Override
              public void firstEvent() {
                loop.resetBackoff();
              }
            });
    return new ReconnectLoop.Attempt() {
      @Override
      public ChannelInitializer<SocketChannel> initializer() {
        return new ChannelInitializer<>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            addTls(ch);
            ch.pipeline()
                .addLast(new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast(handler);
          }
        };
      }

      @Override
      public String closeReason() {
        return handler.closeReason();
      }

      @Override
      public boolean finalClose() {
        return handler.finalClose();
      }

      @Override
      public long reconnectDelayMillis(long backoffMillis) {
        return delayMillis(resume.retryMillis, handler.dispatchedEvent(), backoffMillis, loop.capMillis());
      }
    };
  }

  /**
   * The wait before reconnecting: the server's {@code retry:} bounded by the cap; after a
   * connection without events, at least the backoff's delay.
   */
  static long delayMillis(long retryMillis, boolean dispatchedEvent, long backoffMillis, long capMillis) {
    if (retryMillis < 0) {
      return backoffMillis;
    }
    long retry = Math.min(retryMillis, capMillis);
    return dispatchedEvent ? retry : Math.max(retry, backoffMillis);
  }
}
