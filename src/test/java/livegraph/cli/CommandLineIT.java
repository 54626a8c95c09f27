package livegraph.cli;

import livegraph.testing.JarProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.testing.Frames;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged command, run as a separate process the way a user runs it, against an emulator
 * on loopback. Failsafe runs after {@code package}, so {@code target/livegraph-all.jar} exists.
 */
class CommandLineIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern SERVING = Pattern.compile("livegraph serving http://127\\.0\\.0\\.1:(\\d+)/");

  private Process process;
  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private final List<String> lines = new ArrayList<>();
  private Thread reader; // copies the process's output into the queue until it ends

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy(); // SIGTERM: the shutdown hook closes viewers and the source
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("process exits on SIGTERM").isTrue();
    }
  }

  private int launch(String... args) throws Exception {
    start(args);
    return Integer.parseInt(awaitLine(SERVING).group(1));
  }

  private void start(String... args) throws Exception {
    Path jar = Path.of("target", "livegraph-all.jar");
    assertThat(Files.exists(jar)).as("packaged jar " + jar.toAbsolutePath()).isTrue();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    command.addAll(List.of(args));
    process = JarProcess.isolated(new ProcessBuilder(command)).redirectErrorStream(true).start();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    }, "livegraph-output");
    reader.setDaemon(true);
    reader.start();
  }

  private Matcher awaitLine(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String line = output.poll(200, TimeUnit.MILLISECONDS);
      if (line == null) {
        if (!reader.isAlive() && output.isEmpty()) {
          throw new AssertionError("livegraph ended without printing " + pattern + "; output: " + lines);
        }
        continue;
      }
      lines.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("livegraph did not print " + pattern + "; output: " + lines);
  }

  private static TestViewer viewer(int port) {
    return TestViewer.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), "http://127.0.0.1:" + port);
  }

  @Test
  void serveDefault_simulatedFeed_chartsMoveWithinFiveSeconds() throws Exception {
    int port = launch("serve", "--port", "0", "--seed", "7");
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    try (TestViewer v = viewer(port)) {
      JsonNode hello = v.next(WAIT);
      assertThat(hello.at("/source/description").asText()).isEqualTo("Simulated StackExchange feed");
      assertThat(hello.at("/source/mode").asText()).isEqualTo("simulated");
      List<String> titles = new ArrayList<>();
      hello.at("/dashboard/charts").forEach(c -> titles.add(c.get("title").asText()));
      assertThat(titles).containsExactly("Active questions by community", "Stack Overflow top tags",
          "Activity over time", "Latest questions");
      JsonNode moving = v.until(Duration.ofSeconds(5), "a delta with community counts",
          m -> m.get("type").asText().equals("delta")
              && m.at("/charts/communities/windows/10m/columns/0").size() > 0);
      assertThat(moving.at("/charts/communities/windows/10m/columns/0/0").asInt()).isPositive();
    }
  }

  @Test
  void serveAgainstAnyProtocolServer_chartsEqualWhatItSent_survivesItsDisconnect() throws Exception {
    try (StackExchangeEmulator upstream = StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofMillis(200)).start(0)) {
      int port = launch("serve", "--port", "0", "--feed", "ws://127.0.0.1:" + upstream.port() + "/");
      Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "livegraph subscribed");

      String[] sites = {"stackoverflow", "math", "stackoverflow", "diy", "stackoverflow", "math"};
      for (int i = 0; i < sites.length; i++) {
        upstream.broadcast(Frames.question(sites[i], 1000 + i, "Question " + i, List.of("java")));
      }
      upstream.broadcast("this is not json");
      upstream.broadcast(Frames.outer("1-questions-newest-tag-java", "{\"id\":\"1\"}"));
      // Data that is not JSON, and JSON that is not an object: the decoder checks no field types.
      upstream.broadcast(Frames.outer("155-questions-active", "679,081"));
      upstream.broadcast(Frames.outer("155-questions-active", "[\"diy\"]"));

      try (TestViewer v = viewer(port)) {
        JsonNode state = v.until(WAIT, "counts of the six questions",
            m -> m.at("/charts/communities/windows/all/columns/0").size() == 3
                && m.at("/charts/communities/windows/all/columns/0/0").asInt() == 3
                && m.at("/charts/communities/windows/all/columns/0/1").asInt() == 2);
        assertThat(state.at("/charts/communities/windows/all/x").toString())
            .isEqualTo("[\"stackoverflow\",\"math\",\"diy\"]");
        assertThat(state.at("/charts/communities/windows/all/columns/0").toString()).isEqualTo("[3,2,1]");

        Poll.until(WAIT, () -> health(port).get("skippedFrames").asLong() == 4, "the four bad frames skipped");
        assertThat(health(port).get("events").asLong()).isEqualTo(6);
        Poll.until(WAIT, () -> upstream.heartbeatRepliesReceived() >= 2, "heartbeats answered");

        upstream.disconnectAll();
        // The reconnect (0.5 to 1 s) can complete between two once-a-second status messages,
        // so the server's own count proves the drop was noticed, not a status we may miss.
        Poll.until(WAIT, () -> health(port).at("/source/reconnects").asLong() >= 1,
            "the server counting a reconnect after the disconnect");
        Poll.until(WAIT, () -> upstream.subscribeMessagesReceived() >= 2 && upstream.subscribedClients() == 1, "re-subscribed after the disconnect");
        v.until(WAIT, "status live again",
            m -> m.get("type").asText().equals("status") && m.at("/source/state").asText().equals("live"));
        upstream.broadcast(Frames.question("diy", 2000, "after reconnect", List.of()));
        v.until(WAIT, "the frame sent after the reconnect counted",
            m -> m.at("/charts/communities/windows/all/columns/0").toString().equals("[3,2,2]"));
        assertThat(process.isAlive()).isTrue();
        assertThat(health(port).at("/source/reconnects").asLong()).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void record_thenReplay_reproducesTheCharts(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("feed.jsonl");
    List<String> sent = new ArrayList<>();
    try (StackExchangeEmulator upstream = StackExchangeEmulator.builder().start(0)) {
      start("record", "--feed", "ws://127.0.0.1:" + upstream.port() + "/", "--out", file.toString(),
          "--duration", "3s");
      Poll.until(WAIT, () -> upstream.subscribedClients() == 1, "recorder subscribed");
      String[] sites = {"gaming", "math", "gaming", "gaming"};
      for (int i = 0; i < sites.length; i++) {
        String frame = Frames.question(sites[i], 500 + i, "Recorded " + i, List.of("x"));
        sent.add(frame);
        upstream.broadcast(frame);
      }
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("record stops after --duration").isTrue();
      assertThat(process.exitValue()).isZero();
      process = null;
    }
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> recorded = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode node = json.readTree(line);
      assertThat(node.get("at").asLong()).isPositive();
      recorded.add(node.get("frame").asText());
    }
    assertThat(recorded).isEqualTo(sent);

    int port = launch("serve", "--port", "0", "--replay", file.toString(), "--speed", "20");
    try (TestViewer v = viewer(port)) {
      assertThat(v.next(WAIT).at("/source/mode").asText()).isEqualTo("replay");
      v.until(WAIT, "replayed counts",
          m -> m.at("/charts/communities/windows/all").toString()
              .equals("{\"x\":[\"gaming\",\"math\"],\"columns\":[[3,1]]}"));
    }
  }

  @Test
  void badFlags_areRefusedWithAClearMessage() throws Exception {
    start("serve", "--port", "70000");
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    awaitLine(Pattern.compile("--port must be 0..65535: 70000"));
    process = null;

    start("serve", "--feed", "http://example.invalid/");
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isNotZero();
    awaitLine(Pattern.compile("feed must be simulated, live, or a ws:// or wss:// URL"));
    process = null;
  }

  private static JsonNode health(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
