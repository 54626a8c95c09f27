package livegraph.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged command ({@code target/livegraph-all.jar}) run as a separate process, as a user
 * runs it: its standard input writable, its standard output and error each collected line by
 * line on a thread of their own. Failsafe runs after {@code package}, so the jar exists.
 */
public final class JarProcess implements AutoCloseable {

  public static final Pattern SERVING =
      Pattern.compile("livegraph serving http://127\\.0\\.0\\.1:(\\d+)/");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Process upstream; // the command piped into this one, or null
  private final List<String> out = Collections.synchronizedList(new ArrayList<>());
  private final List<String> err = Collections.synchronizedList(new ArrayList<>());
  private final Thread outReader;
  private final Thread errReader;
  private int port = -1; // set once it serves

  private JarProcess(List<String> upstreamCommand, List<String> args) throws IOException {
    Path jar = Path.of("target", "livegraph-all.jar");
    assertThat(Files.exists(jar)).as("packaged jar " + jar.toAbsolutePath()).isTrue();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString()));
    command.addAll(args);
    if (upstreamCommand == null) {
      upstream = null;
      process = isolated(new ProcessBuilder(command)).start();
    } else {
      List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
          new ProcessBuilder(upstreamCommand).redirectError(ProcessBuilder.Redirect.DISCARD),
          isolated(new ProcessBuilder(command))));
      upstream = pipeline.get(0);
      process = pipeline.get(1);
    }
    outReader = copy(process.getInputStream(), out, "jar-stdout");
    errReader = copy(process.getErrorStream(), err, "jar-stderr");
  }

  /**
   * Gives the process a state directory of its own: {@code serve} keeps its journal under
   * $XDG_STATE_HOME by default, and a test must neither write the user's nor replay another
   * run's. A test of the journal passes --journal DIR.
   */
  public static ProcessBuilder isolated(ProcessBuilder builder) throws IOException {
    Path target = Files.createDirectories(Path.of("target", "it-state"));
    builder.environment().put("XDG_STATE_HOME",
        Files.createTempDirectory(target, "state-").toAbsolutePath().toString());
    return builder;
  }

  public static JarProcess start(String... args) throws IOException {
    return new JarProcess(null, List.of(args));
  }

  /** Starts {@code serve …} and returns once it printed the port it serves on. */
  public static JarProcess serve(Duration wait, String... args) throws IOException {
    return serving(new JarProcess(null, List.of(args)), wait);
  }

  /** {@code UPSTREAM | livegraph serve …}, as a shell pipeline; returns once it serves. */
  public static JarProcess servePipedFrom(List<String> upstream, Duration wait, String... args)
      throws IOException {
    return serving(new JarProcess(upstream, List.of(args)), wait);
  }

  private static JarProcess serving(JarProcess p, Duration wait) {
    try {
      p.port = Integer.parseInt(p.awaitOut(wait, SERVING).group(1));
    } catch (AssertionError | RuntimeException e) {
      p.close();
      throw e;
    }
    return p;
  }

  public int port() {
    return port;
  }

  /** The process's standard input (unless piped from another); closing it is end of input. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Waits for a stdout line matching {@code pattern} (found anywhere in the line). */
  public Matcher awaitOut(Duration wait, Pattern pattern) {
    Matcher[] found = new Matcher[1];
    try {
      Poll.until(wait, () -> {
        for (String line : snapshot(out)) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            found[0] = m;
            return true;
          }
        }
        if (!process.isAlive() && !outReader.isAlive()) {
          throw new AssertionError("livegraph ended (status " + process.exitValue()
              + ") without printing " + pattern + "\nstdout: " + out + "\nstderr: " + err);
        }
        return false;
      }, "livegraph printing " + pattern);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nstdout: " + out + "\nstderr: " + err, e);
    }
    return found[0];
  }

  /** Waits for the process to end by itself and returns its exit status. */
  public int awaitExit(Duration wait) throws InterruptedException {
    assertThat(process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS))
        .as("livegraph ends by itself; stdout: %s, stderr: %s", out, err).isTrue();
    outReader.join(wait.toMillis());
    errReader.join(wait.toMillis());
    return process.exitValue();
  }

  public List<String> out() {
    return snapshot(out);
  }

  public List<String> err() {
    return snapshot(err);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** GET {@code path} on the served port, parsed as JSON. */
  public JsonNode getJson(String path) {
    return json(port, path);
  }

  /** GET {@code path} on the served port, as text. */
  public String getText(String path) {
    return text(port, path);
  }

  /** /healthz's entry for the first dashboard's one source. */
  public JsonNode source() {
    return getJson("/healthz").get("source");
  }

  public static JsonNode json(int port, String path) {
    try {
      return JSON.readTree(text(port, path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET {@code path} on {@code port} of 127.0.0.1: the body of a 200, else the test fails. */
  private static String text(int port, String path) {
    try {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL ({@code kill -9}): no shutdown hook runs; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("killed livegraph ends").isTrue();
  }

  /** SIGTERM; returns the exit status once the process ended (within {@code wait}). */
  public int terminate(Duration wait) throws InterruptedException {
    process.destroy();
    return awaitExit(wait);
  }

  /** SIGTERM, and checks that the shutdown hook lets the process end. */
  @Override
  public void close() {
    if (upstream != null) {
      upstream.destroy();
    }
    if (process.isAlive()) {
      process.destroy();
      boolean ended;
      try {
        ended = process.waitFor(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        return;
      }
      if (!ended) {
        process.destroyForcibly();
      }
      assertThat(ended).as("livegraph exits on SIGTERM").isTrue();
    }
  }

  private static List<String> snapshot(List<String> lines) {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private static Thread copy(InputStream from, List<String> into, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          into.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
