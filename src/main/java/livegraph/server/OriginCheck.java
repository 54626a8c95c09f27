package livegraph.server;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refuses WebSocket upgrades from other sites' pages (cross-site WebSocket hijacking).
 *
 * <p>Browsers always send {@code Origin} on a WebSocket handshake; it must name this server
 * (this server's scheme and the request's {@code Host}) or one of the allowed origins. A handshake without {@code Origin}
 * comes from a non-browser client, which no page can forge, so it is let through. Applied to
 * every dashboard's socket by {@link HttpHandler}; immutable apart from a counter, so shared.
 */
final class OriginCheck {

  private final Set<String> allowed; // lower-case "scheme://host[:port]"
  private final String scheme; // this server's: "https" with TLS, else "http"
  private final LongAdder refused = new LongAdder();

  OriginCheck(Set<String> allowedOrigins) {
    this(allowedOrigins, false);
  }

  /** @param tls whether this server serves https: its own pages' origin then starts https:// */
  OriginCheck(Set<String> allowedOrigins, boolean tls) {
    this.allowed = Set.copyOf(allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
    this.scheme = tls ? "https" : "http";
  }

  /** Whether a handshake with these headers may proceed; counts a refusal. */
  boolean admit(String origin, String host) {
    boolean ok = permitted(origin, host);
    if (!ok) {
      refused.increment();
    }
    return ok;
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
          && scheme.equals(uri.getScheme())
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
