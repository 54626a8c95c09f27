package livegraph.cluster;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;

/**
 * Where the cluster's Redis is and how to log in: {@code redis://HOST:PORT}, with {@code
 * redis://:PASSWORD@HOST:PORT} or {@code redis://USER:PASSWORD@HOST:PORT} for {@code AUTH} (Redis
 * 6 ACL users), and {@code rediss://} for TLS (the JVM's trust store checks the certificate).
 *
 * <p>One place builds every connection's settings (lease, stream writer and reader, start key),
 * so they all log in alike. {@link #toString()} never shows the password: it is what logs,
 * status messages and {@code /healthz} print.
 *
 * <p>TLS checks the server's certificate against the JVM's trust store (set one with {@code
 * -Djavax.net.ssl.trustStore=…} for a private CA) and its name against the host in the address.
 *
 * @param password null for none
 * @param user null for the default user
 * @param sslFactory the TLS sockets' factory, null for the JVM's default (tests trust their own
 *     certificate with one)
 */
public record RedisEndpoint(HostAndPort address, String user, String password, boolean tls,
    SSLSocketFactory sslFactory) {

  public RedisEndpoint {
    Objects.requireNonNull(address, "address");
  }

  public RedisEndpoint(HostAndPort address, String user, String password, boolean tls) {
    this(address, user, password, tls, null);
  }

  /** The same endpoint over TLS made by {@code factory}. */
  public RedisEndpoint withSslFactory(SSLSocketFactory factory) {
    return new RedisEndpoint(address, user, password, true, factory);
  }

  /** An endpoint without login or TLS (a loopback Redis; tests). */
  public static RedisEndpoint of(HostAndPort address) {
    return new RedisEndpoint(address, null, null, false);
  }

  /**
   * Reads {@code redis://[[USER]:PASSWORD@]HOST:PORT} or {@code rediss://…}; {@code
   * fallbackPassword} (e.g. from the environment, to keep it out of {@code ps}) is used when the
   * address carries none, and may be null.
   *
   * @throws IllegalArgumentException saying what is wrong with the address (never repeating a
   *     password)
   */
  public static RedisEndpoint of(URI redis, String fallbackPassword) {
    if (redis == null || !("redis".equals(redis.getScheme()) || "rediss".equals(redis.getScheme()))) {
      throw new IllegalArgumentException("cluster address must be redis://HOST:PORT (or rediss://"
          + " for TLS): " + (redis == null ? null : redis.getScheme() + "://…"));
    }
    if (redis.getHost() == null || redis.getPort() <= 0) {
      throw new IllegalArgumentException(
          "cluster address needs a host and a port, redis://HOST:PORT: " + redis.getScheme()
              + "://" + (redis.getHost() == null ? "?" : redis.getHost()));
    }
    String path = redis.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException("cluster address takes no database or path (every key"
          + " has the cluster prefix instead): " + redis.getScheme() + "://" + redis.getHost()
          + ":" + redis.getPort() + path);
    }
    String user = null;
    String password = fallbackPassword == null || fallbackPassword.isEmpty() ? null
        : fallbackPassword;
    String info = redis.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String u = colon < 0 ? info : info.substring(0, colon);
      user = u.isEmpty() ? null : decode(u);
      if (colon >= 0) {
        password = decode(info.substring(colon + 1));
      }
    }
    return new RedisEndpoint(new HostAndPort(redis.getHost(), redis.getPort()), user, password,
        "rediss".equals(redis.getScheme()));
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A connection's settings: these timeouts, this name in {@code CLIENT LIST}, RESP2, login. */
  JedisClientConfig config(String clientName, int connectTimeoutMillis, int socketTimeoutMillis) {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(connectTimeoutMillis)
        .socketTimeoutMillis(socketTimeoutMillis)
        .clientName(clientName)
        .protocol(RedisProtocol.RESP2) // what the replies are parsed as; no auto-negotiation
        .ssl(tls);
    if (tls) {
      // JSSE checks the certificate's name against the host (Jedis on its own does not).
      SSLParameters checks = new SSLParameters();
      checks.setEndpointIdentificationAlgorithm("HTTPS");
      b.sslParameters(checks);
      if (sslFactory != null) {
        b.sslSocketFactory(sslFactory);
      }
    }
    if (user != null) {
      b.user(user);
    }
    if (password != null) {
      b.password(password);
    }
    return b.build();
  }

  /** {@code redis://HOST:PORT} or {@code rediss://…}, with {@code USER@} if any: never the password. */
  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + (user != null ? user + "@" : "")
        + address.getHost() + ":" + address.getPort();
  }
}
