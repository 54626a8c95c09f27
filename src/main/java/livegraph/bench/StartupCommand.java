package livegraph.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import livegraph.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code livegraph bench startup}: how long {@code ./livegraph} (the jar already built) takes
 * from the process's start to a viewer's first frames: the "serving" line, the first snapshot
 * and the first delta. One untimed run first (the jar in the page cache, this process's
 * client warmed), then {@code --runs} timed ones; the median of each.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    description = "Times ./livegraph serve --port 0 from process start to the first delta a viewer"
        + " receives (jar already built); prints the median of --runs runs as JSON.")
final class StartupCommand implements Callable<Integer> {

  private static final Pattern SERVING =
      Pattern.compile("livegraph serving http://127\\.0\\.0\\.1:(\\d+)/");

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--command", defaultValue = "./livegraph", description = "The launcher. Default: ${DEFAULT-VALUE}.")
  String command;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the first delta. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--out", description = "Also write the JSON to this file.")
  Path out;

  @Option(names = "--train-cds", paramLabel = "FILE", description = "Instead of timing: start the"
      + " server once, take its first delta, stop it, and keep the classes it loaded as an AppCDS"
      + " archive in FILE (what ./livegraph does once per build).")
  Path trainCds;

  /** The moments of one run, in ms after the process started; NaN when not reached. */
  record Times(double serving, double snapshot, double delta) {}

  /** One run: its moments, and the server's exit code once stopped (-1 if it had to be killed). */
  record Run(Times times, int exitCode) {}

  // Writing the archive at exit takes a few seconds on a loaded machine; a kill would leave
  // a torn file, which CdsTraining then refuses to keep.
  private static final int TRAINING_EXIT_SECONDS = 120;

  @Override
  public Integer call() throws Exception {
    if (!Files.isExecutable(Path.of(command)) && !Target.onPath(command)) {
      System.err.println("startup: cannot run " + command);
      return 1;
    }
    EventLoopGroup group = Transport.group(1, "bench-startup");
    if (trainCds != null) {
      try {
        return CdsTraining.train(trainCds, env -> once(group, env, TRAINING_EXIT_SECONDS));
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
    List<Map<String, Object>> timed = new ArrayList<>();
    try {
      for (int run = 0; run <= runs; run++) {
        Times t = once(group, Map.of(), 10).times();
        System.err.printf("startup: run %d%s: serving %.0f ms, first snapshot %.0f ms,"
            + " first delta %.0f ms%n", run, run == 0 ? " (untimed)" : "", t.serving(),
            t.snapshot(), t.delta());
        if (run > 0) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("servingMillis", t.serving());
          m.put("firstSnapshotMillis", t.snapshot());
          m.put("firstDeltaMillis", t.delta());
          timed.add(m);
        }
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", "livegraph bench startup");
    doc.put("command", command + " serve --port 0");
    doc.put("machine", Machine.describe());
    doc.put("median", Medians.of(timed));
    doc.put("runs", timed);
    String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(FanoutCommand.nullForNaN(doc));
    System.out.println(text);
    if (out != null) {
      Files.writeString(out, text + "\n", StandardCharsets.UTF_8);
    }
    boolean allReached = timed.stream()
        .allMatch(m -> !Double.isNaN((Double) m.get("firstDeltaMillis")));
    return allReached ? 0 : 1;
  }

  private Run once(EventLoopGroup group, Map<String, String> env, int exitSeconds)
      throws Exception {
    long start = System.nanoTime();
    // A journal of its own, new each run: every start begins alike (a first start, nothing to
    // replay), the journal's classes are loaded as a user's start loads them (and so are in the
    // CDS archive a training run makes), and the user's journal stays untouched.
    Path journal = Files.createTempDirectory("livegraph-startup-journal");
    ProcessBuilder builder = new ProcessBuilder(command, "serve", "--port", "0", "--journal",
        journal.toString()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    CompletableFuture<Long> servingAt = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          Matcher m = SERVING.matcher(line);
          if (!port.isDone() && m.find()) {
            servingAt.complete(System.nanoTime());
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException e) {
        // the process went away; the futures below time out
      }
      port.completeExceptionally(new IllegalStateException("exited before serving"));
    }, "bench-startup-output");
    reader.setDaemon(true);
    reader.start();
    CompletableFuture<Long> snapshotAt = new CompletableFuture<>();
    CompletableFuture<Long> deltaAt = new CompletableFuture<>();
    Channel viewer = null;
    int exitCode;
    try {
      int p0 = port.get(timeoutSeconds, TimeUnit.SECONDS);
      viewer = connect(group, URI.create("ws://127.0.0.1:" + p0 + "/ws"), snapshotAt, deltaAt);
      deltaAt.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      System.err.println("startup: no first delta within " + timeoutSeconds + " s: " + e);
    } finally {
      if (viewer != null) {
        viewer.close().syncUninterruptibly();
      }
      p.destroy();
      if (!p.waitFor(exitSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        exitCode = -1;
      } else {
        exitCode = p.exitValue();
      }
    }
    deleteTree(journal);
    Times times =
        new Times(since(start, servingAt), since(start, snapshotAt), since(start, deltaAt));
    return new Run(times, exitCode);
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      System.err.println("startup: could not delete " + dir + ": " + e);
    }
  }

  private static double since(long start, CompletableFuture<Long> at) {
    return at.isDone() && !at.isCompletedExceptionally() ? (at.join() - start) / 1e6 : Double.NaN;
  }

  private static Channel connect(EventLoopGroup group, URI uri, CompletableFuture<Long> snapshotAt,
      CompletableFuture<Long> deltaAt) throws InterruptedException {
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri).maxFramePayloadLength(16 << 20).generateOriginHeader(false).build();
    return new Bootstrap().group(group).channel(Transport.clientChannel())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                new WebSocketClientProtocolHandler(config),
                new WebSocketFrameAggregator(16 << 20),
                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                    long now = System.nanoTime();
                    switch (FrameProbe.livegraphType(f.content())) {
                      case SNAPSHOT -> snapshotAt.complete(now);
                      case DELTA -> deltaAt.complete(now);
                      default -> { }
                    }
                  }
                });
          }
        })
        .connect(uri.getHost(), uri.getPort()).sync().channel();
  }
}
