package livegraph.server;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The headers every HTTP response carries.
 *
 * <p>The policy allows scripts only from this origin (no inline script, no eval), so feed text
 * that slipped into markup still could not run. Styles allow 'unsafe-inline' because Plotly
 * writes style elements at run time; connect-src 'self' covers the page's own WebSocket.
 */
final class SecurityHeaders {

  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
          + "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

  private SecurityHeaders() {}

  static void apply(HttpHeaders headers) {
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
  }
}
