package livegraph.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refuses WebSocket upgrades from other sites' pages (cross-site WebSocket hijacking).
 *
 * <p>Browsers always send {@code Origin} on a WebSocket handshake; it must name this server
 * (the request's {@code Host}) or one of the allowed origins. A handshake without {@code Origin}
 * comes from a non-browser client, which no page can forge, so it is let through.
 */
@ChannelHandler.Sharable
final class OriginCheck extends ChannelInboundHandlerAdapter {

  private final Set<String> allowed; // lower-case "scheme://host[:port]"
  private final LongAdder refused = new LongAdder();

  OriginCheck(Set<String> allowedOrigins) {
    this.allowed = Set.copyOf(allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest request
        && new QueryStringDecoder(request.uri()).path().equals("/ws")
        && !permitted(request.headers().get(HttpHeaderNames.ORIGIN),
            request.headers().get(HttpHeaderNames.HOST))) {
      refused.increment();
      HttpHandler.respond(ctx, request,
          HttpHandler.text(HttpResponseStatus.FORBIDDEN, "origin not allowed\n"));
      request.release();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  boolean permitted(String origin, String host) {
    if (origin == null) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowed.contains(o)) {
      return true;
    }
    try {
      URI uri = new URI(o);
      String authority = uri.getRawAuthority();
      return host != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && authority != null
          && authority.equals(host.toLowerCase(Locale.ROOT));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  long refused() {
    return refused.sum();
  }
}
