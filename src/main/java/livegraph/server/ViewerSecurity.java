package livegraph.server;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How viewers must reach the server: with a token or not, over TLS or not. The default,
 * {@link #NONE}, is neither (the server then binds loopback unless told otherwise).
 *
 * <p>A token is 16 to 256 characters from {@code A-Z a-z 0-9 - . _ ~ + / =} (base64 and hex
 * fit): long enough not to be guessed, and safe to carry unchanged in a cookie, a header and a
 * URL. TLS files are read and checked when this is built, so a bad one stops the start.
 */
public final class ViewerSecurity {

  public static final ViewerSecurity NONE = new ViewerSecurity(null, null);

  static final int MIN_TOKEN = 16;
  static final int MAX_TOKEN = 256;

  private final String token; // null: no token required
  private final SslContext tls; // null: plain HTTP

  private ViewerSecurity(String token, SslContext tls) {
    this.token = token;
    this.tls = tls;
  }

  /**
   * This, with every request required to present {@code token}.
   *
   * @throws IllegalArgumentException when the token is too short, too long or has other characters
   */
  public ViewerSecurity withToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.length() < MIN_TOKEN || token.length() > MAX_TOKEN) {
      throw new IllegalArgumentException("token must be " + MIN_TOKEN + " to " + MAX_TOKEN
          + " characters: it has " + token.length());
    }
    if (!token.matches("[A-Za-z0-9._~+/=-]+")) {
      throw new IllegalArgumentException(
          "token may contain only A-Z a-z 0-9 - . _ ~ + / = (so it fits a cookie, header and URL)");
    }
    return new ViewerSecurity(token, tls);
  }

  /**
   * This, serving https and wss with the PEM certificate chain and PKCS#8 key given.
   *
   * @throws IllegalArgumentException naming the file and its problem (missing, unreadable, not
   *     PEM, or a key that is not the certificate's)
   */
  public ViewerSecurity withTls(Path certFile, Path keyFile) {
    return new ViewerSecurity(token, TlsFiles.serverContext(certFile, keyFile));
  }

  String token() {
    return token;
  }

  SslContext sslContext() {
    return tls;
  }

  public boolean tokenRequired() {
    return token != null;
  }

  public boolean tls() {
    return tls != null;
  }
}
