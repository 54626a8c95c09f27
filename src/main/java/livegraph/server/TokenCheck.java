package livegraph.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared secret every request must carry when the server was started with {@code --token}.
 *
 * <p>A request presents it in any of three ways: the cookie {@link #COOKIE} (what a browser
 * sends after its first visit), {@code Authorization: Bearer TOKEN} (curl, Prometheus, a
 * program's WebSocket client), or the query parameter {@code ?token=TOKEN} (the link a person
 * opens once; the answer sets the cookie). Comparison is constant-time over SHA-256 digests, so
 * neither the content nor the length of the token leaks through timing. Immutable apart from a
 * counter, so one instance serves every connection.
 */
final class TokenCheck {

  static final String COOKIE = "livegraph_token";
  static final String PARAMETER = "token";

  private final byte[] digest;
  private final LongAdder refused = new LongAdder();

  TokenCheck(String token) {
    this.digest = sha256(token);
  }

  /** What a request presented, and whether it was the token. */
  enum Outcome {
    /** The cookie or the header carried the token. */
    ACCEPTED,
    /** The query parameter carried it: accepted, and the answer should set the cookie. */
    ACCEPTED_FROM_QUERY,
    /** Missing or wrong. */
    REFUSED
  }

  /** Checks a request's headers and decoded query parameters; counts a refusal. */
  Outcome check(HttpHeaders headers, Map<String, List<String>> parameters) {
    Outcome outcome = outcome(headers, parameters);
    if (outcome == Outcome.REFUSED) {
      refused.increment();
    }
    return outcome;
  }

  private Outcome outcome(HttpHeaders headers, Map<String, List<String>> parameters) {
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return matches(authorization.substring(7).trim()) ? Outcome.ACCEPTED : Outcome.REFUSED;
    }
    List<String> query = parameters.get(PARAMETER);
    if (query != null) {
      return query.size() == 1 && matches(query.get(0)) ? Outcome.ACCEPTED_FROM_QUERY : Outcome.REFUSED;
    }
    String cookieHeader = headers.get(HttpHeaderNames.COOKIE);
    if (cookieHeader != null) {
      Set<Cookie> cookies = ServerCookieDecoder.STRICT.decode(cookieHeader);
      for (Cookie c : cookies) {
        if (COOKIE.equals(c.name())) {
          return matches(c.value()) ? Outcome.ACCEPTED : Outcome.REFUSED;
        }
      }
    }
    return Outcome.REFUSED;
  }

  boolean matches(String presented) {
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  /** The Set-Cookie value for a browser that presented the token in the query. */
  String cookie(String token, boolean secure) {
    return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  long refused() {
    return refused.sum();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
