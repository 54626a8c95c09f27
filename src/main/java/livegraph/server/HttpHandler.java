package livegraph.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers plain HTTP: the page and its assets, {@code /healthz}; everything else is 404.
 *
 * <p>WebSocket upgrades to {@code /ws} never reach here: the protocol handler before this one
 * takes them. Stateless, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private final StaticAssets assets;
  private final Supplier<byte[]> health;

  HttpHandler(StaticAssets assets, Supplier<byte[]> health) {
    this.assets = assets;
    this.health = health;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
      return;
    }
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      respond(ctx, request, response);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals("/healthz")) {
      FullHttpResponse response = ok(health.get(), "application/json");
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      respond(ctx, request, response);
      return;
    }
    StaticAssets.Asset asset = assets.find(path);
    if (asset == null) {
      respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n"));
      return;
    }
    respond(ctx, request, asset(request, asset));
  }

  private static FullHttpResponse asset(FullHttpRequest request, StaticAssets.Asset asset) {
    HttpHeaders in = request.headers();
    FullHttpResponse response;
    if (asset.etag().equals(in.get(HttpHeaderNames.IF_NONE_MATCH))) {
      response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    } else if (acceptsGzip(in) && asset.gzipped().length < asset.bytes().length) {
      response = ok(asset.gzipped(), asset.contentType());
      response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
    } else {
      response = ok(asset.bytes(), asset.contentType());
    }
    response.headers().set(HttpHeaderNames.ETAG, asset.etag());
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl());
    response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    return response;
  }

  private static boolean acceptsGzip(HttpHeaders headers) {
    String accept = headers.get(HttpHeaderNames.ACCEPT_ENCODING);
    return accept != null && accept.contains("gzip");
  }

  private static FullHttpResponse ok(byte[] body, String contentType) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return response;
  }

  static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  /** Adds the security headers and length, honours keep-alive and HEAD, and writes. */
  static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    SecurityHeaders.apply(response.headers());
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (HttpMethod.HEAD.equals(request.method())) {
      response.content().clear();
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && response.status().code() < 400;
    HttpUtil.setKeepAlive(response, keepAlive);
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
