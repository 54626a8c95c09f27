package livegraph.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of {@code livegraph export --snapshot}: one GET of {@code FROM/snapshot.json}
 * from a running server, bounded in time (10 s for the whole exchange) and size (64 MiB), and
 * each way it can fail told apart in words: nothing listening, no such dashboard, not a
 * livegraph server, too slow, too big, token missing or wrong. Follows no redirect (the
 * document, and the token with it, only ever go to the address given).
 */
final class SnapshotFetch {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final long MAX_BYTES = 64L << 20;
  private static final long MAX_LISTING_BYTES = 1L << 20;
  private static final Pattern DASHBOARD_PATH = Pattern.compile("^(.*/)d/([^/]+)/$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A failure to get a snapshot, with a message for the person who asked. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final URI base; // the page's folder: ends with '/'
  private final String dashboard; // NAME when base is …/d/NAME/, else null
  private final URI root; // the server's root, where dashboards.json is
  private final Duration timeout;
  private final long maxBytes;
  private final HttpClient client;
  private String token; // sent as a Bearer header when not null

  SnapshotFetch(URI base, String dashboard, URI root, Duration timeout, long maxBytes) {
    this.base = base;
    this.dashboard = dashboard;
    this.root = root;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * A fetch from {@code from}: {@code http://HOST:PORT} or {@code http://HOST:PORT/d/NAME}, with
   * or without a trailing slash (https, and a path in front of {@code /d/NAME} behind a proxy,
   * are fine too).
   *
   * @throws IllegalArgumentException naming the value, when it is not such a URL
   */
  static SnapshotFetch of(String from) {
    return of(from, TIMEOUT, MAX_BYTES);
  }

  static SnapshotFetch of(String from, Duration timeout, long maxBytes) {
    String usage = "--from must be a URL like http://HOST:PORT or http://HOST:PORT/d/NAME, not '"
        + from + "'";
    URI uri;
    try {
      uri = new URI(from.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(usage + " (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(usage);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (!path.endsWith("/")) {
      path += "/";
    }
    String origin = scheme + "://" + uri.getRawAuthority();
    Matcher m = DASHBOARD_PATH.matcher(path);
    URI base = URI.create(origin + path);
    if (m.matches()) {
      String name = URI.create(origin + "/" + m.group(2)).getPath().substring(1);
      return new SnapshotFetch(base, name, URI.create(origin + m.group(1)), timeout, maxBytes);
    }
    return new SnapshotFetch(base, null, base, timeout, maxBytes);
  }

  /**
   * Sends {@code token} (a server's {@code --token}) with every request, as the header the
   * server reads first; null sends none.
   */
  SnapshotFetch withToken(String token) {
    this.token = token;
    return this;
  }

  /** The URL of the document. */
  URI document() {
    return base.resolve("snapshot.json");
  }

  /** GETs and reads the document. */
  Snapshot get() throws Failure {
    URI url = document();
    Response response = send(url, maxBytes);
    if (response.status() == 404) {
      throw notFound();
    }
    if (response.status() == 401) {
      throw new Failure(url + " answered HTTP 401: " + (token == null
          ? "the server needs its token; give it with --token or LIVEGRAPH_TOKEN"
          : "the server refused the token given"));
    }
    if (response.status() != 200) {
      throw new Failure(url + " answered HTTP " + response.status() + ": " + excerpt(response.body()));
    }
    try {
      return Snapshot.parse(new String(response.body(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new Failure(base + " is not a livegraph server (snapshot.json: " + e.getMessage() + ")");
    }
  }

  /** Why {@code snapshot.json} was not found, asking the server's listing to tell which. */
  private Failure notFound() {
    List<String> names = listing();
    if (names == null) {
      return new Failure(base + " is not a livegraph server (404 for snapshot.json, and no dashboard listing"
          + " at " + root.resolve("dashboards.json") + ")");
    }
    if (dashboard != null && !names.contains(dashboard)) {
      return new Failure("no dashboard '" + dashboard + "' at " + root + "; it has: "
          + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
    return new Failure(base + " is a livegraph server without snapshots (404 for snapshot.json);"
        + " is it an older version?");
  }

  /** The dashboard names of the server's {@code dashboards.json}, or null when it has none. */
  private List<String> listing() {
    try {
      Response response = send(root.resolve("dashboards.json"), MAX_LISTING_BYTES);
      JsonNode list = response.status() == 200 ? JSON.readTree(response.body()) : null;
      if (list == null || !list.isArray()) {
        return null;
      }
      List<String> names = new ArrayList<>();
      for (JsonNode entry : list) {
        if (!entry.path("name").isTextual()) {
          return null;
        }
        names.add(entry.path("name").asText());
      }
      return names;
    } catch (Failure | IOException e) {
      return null;
    }
  }

  private record Response(int status, byte[] body) {}

  private Response send(URI url, long limit) throws Failure {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Accept", "application/json").GET();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new CappedBody(limit, info.headers().firstValueAsLong("content-length").orElse(-1)));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Failure("no complete answer from " + url + " within " + text(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while reading " + url);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause != null && cause.getCause() != null && !(cause instanceof ConnectException)
          && !(cause instanceof TooLarge) && !(cause instanceof HttpTimeoutException)) {
        cause = cause.getCause();
      }
      if (cause instanceof ConnectException) {
        throw new Failure("cannot connect to " + url.getHost() + ":" + port(url)
            + " (connection refused): is livegraph running there?");
      }
      if (cause instanceof HttpTimeoutException) {
        throw new Failure("no answer from " + url + " within " + text(timeout));
      }
      if (cause instanceof TooLarge) {
        throw new Failure(url + " is larger than " + bytes(limit) + "; not read");
      }
      throw new Failure("cannot read " + url + ": " + (cause == null ? e : cause));
    }
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String bytes(long n) {
    return n >= 1 << 20 && n % (1 << 20) == 0 ? (n >> 20) + " MiB" : n + " bytes";
  }

  private static int port(URI url) {
    return url.getPort() >= 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
  }

  private static String excerpt(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "(no body)" : text.replaceAll("\\s+", " ");
  }

  private static final class TooLarge extends IOException {
    TooLarge() {
      super("body over its limit");
    }
  }

  /** The body as bytes, refused as soon as it would pass {@code limit}. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription; // the client calls one method at a time

    CappedBody(long limit, long declared) {
      this.limit = limit;
      this.declared = declared;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > limit) {
        s.cancel();
        result.completeExceptionally(new TooLarge());
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }
}
