package livegraph.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import livegraph.export.SnapshotExport;
import livegraph.hub.Hub;

/**
 * Routes every HTTP request (see {@link Routes}): answers the page, its assets, the dashboard
 * listing, {@code /healthz} and {@code /metrics}, and 404 for the rest; a WebSocket upgrade to a dashboard's socket
 * passes the origin check, is tagged with that dashboard's hub and goes on to the protocol
 * handler after this one. Stateless, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A Set-Cookie the next response on this channel carries; set and taken on its event loop. */
  private static final io.netty.util.AttributeKey<String> SET_COOKIE =
      io.netty.util.AttributeKey.valueOf("livegraph.setCookie");
  /** Prometheus' text exposition format, as {@code PrometheusMeterRegistry.scrape()} writes it. */
  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Routes routes;
  private final Dashboards dashboards;
  private final OriginCheck origins;
  private final StaticAssets assets;
  private final Supplier<byte[]> health;
  private final Supplier<byte[]> metrics; // null: not found
  private final TokenCheck tokens; // null: no token required
  private final String token; // null: no token required
  private final boolean secure; // served over TLS

  HttpHandler(Dashboards dashboards, OriginCheck origins, StaticAssets assets, Supplier<byte[]> health,
      Supplier<byte[]> metrics) {
    this(dashboards, origins, assets, health, metrics, null, ViewerSecurity.NONE);
  }

  HttpHandler(Dashboards dashboards, OriginCheck origins, StaticAssets assets, Supplier<byte[]> health,
      Supplier<byte[]> metrics, TokenCheck tokens, ViewerSecurity security) {
    this.tokens = tokens;
    this.token = security.token();
    this.secure = security.tls();
    this.routes = new Routes(dashboards);
    this.dashboards = dashboards;
    this.origins = origins;
    this.assets = assets;
    this.health = health;
    this.metrics = metrics;
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
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path;
    java.util.Map<String, java.util.List<String>> parameters;
    try {
      path = uri.path();
      parameters = uri.parameters();
    } catch (IllegalArgumentException e) { // a malformed escape such as "%zz"
      respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
      return;
    }
    String setCookie = null;
    if (tokens != null) {
      // Before routing, so a refused request learns nothing, not even whether a path exists.
      TokenCheck.Outcome outcome = tokens.check(request.headers(), parameters);
      if (outcome == TokenCheck.Outcome.REFUSED) {
        FullHttpResponse response = text(HttpResponseStatus.UNAUTHORIZED, "unauthorized\n");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"livegraph\"");
        respond(ctx, request, response);
        return;
      }
      if (outcome == TokenCheck.Outcome.ACCEPTED_FROM_QUERY) {
        setCookie = tokens.cookie(token, secure);
      }
    }
    Routes.Route route = routes.resolve(path);
    if (setCookie != null && !(route instanceof Routes.Socket)) {
      // The link a person opened once: from now on the cookie carries the token, for the
      // page's assets, snapshot link and socket alike. respond() adds it to this answer.
      ctx.channel().attr(SET_COOKIE).set(setCookie);
    }
    if (route instanceof Routes.Socket socket) {
      upgrade(ctx, request, socket);
    } else if (route instanceof Routes.Snapshot snapshot) {
      respond(ctx, request, snapshot(request, snapshot, secure ? "https://" : "http://"));
    } else if (route instanceof Routes.Health) {
      respond(ctx, request, noStore(ok(health.get(), "application/json")));
    } else if (route instanceof Routes.Metrics && metrics != null) {
      respond(ctx, request, noStore(ok(metrics.get(), METRICS_TYPE)));
    } else if (route instanceof Routes.Listing) {
      respond(ctx, request, noStore(ok(listing(), "application/json")));
    } else if (route instanceof Routes.Redirect redirect) {
      FullHttpResponse response = text(HttpResponseStatus.MOVED_PERMANENTLY, "see " + redirect.location() + "\n");
      response.headers().set(HttpHeaderNames.LOCATION, redirect.location());
      respond(ctx, request, response);
    } else {
      StaticAssets.Asset asset = route instanceof Routes.Asset a ? assets.get(a.path()) : null;
      if (asset == null) {
        respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "not found: " + path + "\n"));
        return;
      }
      respond(ctx, request, asset(request, asset));
    }
  }

  /** Passes a permitted WebSocket handshake on to the protocol handler, tagged with its hub. */
  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, Routes.Socket socket) {
    HttpHeaders headers = request.headers();
    if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      FullHttpResponse response = text(HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket only\n");
      response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
      respond(ctx, request, response);
      return;
    }
    if (!HttpMethod.GET.equals(request.method())
        || !origins.admit(headers.get(HttpHeaderNames.ORIGIN), headers.get(HttpHeaderNames.HOST))) {
      respond(ctx, request, text(HttpResponseStatus.FORBIDDEN, "origin not allowed\n"));
      return;
    }
    ctx.channel().attr(ViewerHandler.SOCKET).set(socket);
    ctx.fireChannelRead(request.retain());
  }

  /**
   * The dashboard's current state as {@code snapshot.json}, or as the static page built from it
   * to download. Costs one copy of the hub's chart states (the size of a snapshot frame) and,
   * for the page, the document in HTML next to a copy of the 1.6 MB page template.
   */
  private static FullHttpResponse snapshot(FullHttpRequest request, Routes.Snapshot route, String scheme) {
    Hub.Capture capture = route.hub().capture();
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    byte[] json = SnapshotDocument.encode(capture, scheme + host + route.pagePath());
    if (route.format() == Routes.SnapshotFormat.JSON) {
      return noStore(ok(json, "application/json"));
    }
    String page;
    try {
      page = SnapshotExport.html(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // Only a hub fed a hello that is not a dashboard's (an embedding's own) gets here.
      return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "no snapshot page: " + e.getMessage() + "\n");
    }
    FullHttpResponse response =
        noStore(ok(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
    response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\""
        + SnapshotExport.fileName(route.dashboard(), capture.capturedAtMillis()) + "\"");
    return response;
  }

  private byte[] listing() {
    ArrayNode list = JSON.createArrayNode();
    for (Dashboards.Entry e : dashboards.list()) {
      list.addObject().put("name", e.name()).put("title", e.title()).put("path", Routes.pagePath(e.name()));
    }
    try {
      return JSON.writeValueAsBytes(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the dashboard list", e);
    }
  }

  private static FullHttpResponse noStore(FullHttpResponse response) {
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
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
    String cookie = ctx.channel().attr(SET_COOKIE).getAndSet(null);
    if (cookie != null) {
      response.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
    }
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
