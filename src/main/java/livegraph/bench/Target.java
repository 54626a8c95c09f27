package livegraph.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A server under test: livegraph from its jar, one of the Node relays under {@code bench/peers},
 * or a server already running. Each started one reads the feeder's TCP port and serves viewers
 * on a free port of its own.
 */
abstract class Target {

  /** A started (or found) server: where viewers connect, and its process when known. */
  interface Running extends AutoCloseable {
    URI uri();

    OptionalLong pid();

    /** Every process serving the viewers, whose CPU and RSS are summed; its own by default. */
    default List<Long> pids() {
      return pid().isPresent() ? List.of(pid().getAsLong()) : List.of();
    }

    @Override
    void close() throws InterruptedException;
  }

  private static final Pattern LIVEGRAPH_READY =
      Pattern.compile("livegraph serving http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern RELAY_READY = Pattern.compile("^listening (\\d+)$");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  final String name;
  final Protocol protocol;

  Target(String name, Protocol protocol) {
    this.name = name;
    this.protocol = protocol;
  }

  /** Why this target cannot run here (no node, peers not installed), or empty. */
  Optional<String> skipReason() {
    return Optional.empty();
  }

  /** Whether the bench starts and stops this server (false: someone else's). */
  boolean managed() {
    return true;
  }

  abstract Running start(int feedPort, Path logs, String label)
      throws IOException, InterruptedException;

  /**
   * livegraph serving {@code dashboard} (a template whose {@code FEED_PORT} becomes the
   * feeder's port) from its jar, with the given JVM options.
   */
  static Target livegraph(Path jar, List<String> jvmOptions, String dashboard, boolean jfr) {
    return livegraph("livegraph", jar, jvmOptions, dashboard, jfr);
  }

  /** {@link #livegraph(Path, List, String, boolean)} under another name (a baseline's jar). */
  static Target livegraph(String name, Path jar, List<String> jvmOptions, String dashboard,
      boolean jfr) {
    return new Target(name, Protocol.LIVEGRAPH) {
      @Override
      Optional<String> skipReason() {
        return Files.isRegularFile(jar) ? Optional.empty()
            : Optional.of("no " + jar + ": build it with ./mvnw -B -DskipTests package");
      }

      @Override
      Running start(int feedPort, Path logs, String label) throws IOException, InterruptedException {
        Path file = logs.resolve("fanout-dashboard.yaml");
        Files.createDirectories(logs);
        Files.writeString(file, dashboard.replace("FEED_PORT", Integer.toString(feedPort)),
            StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jfr) {
          command.add("-XX:StartFlightRecording=settings=profile,filename="
              + logs.resolve(label + ".jfr").toAbsolutePath());
        }
        // No journal: a benchmark measures the fan-out, and must not replay an earlier run.
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--no-journal",
            file.toString()));
        return process(command, LIVEGRAPH_READY, logs.resolve(label + ".log"), "/ws");
      }
    };
  }

  /** A Node relay, {@code peers/script}, run with {@code node}. */
  static Target peer(String name, Protocol protocol, Path peers, String script) {
    return new Target(name, protocol) {
      @Override
      Optional<String> skipReason() {
        if (!onPath("node")) {
          return Optional.of("node is not on the PATH");
        }
        if (!Files.isDirectory(peers.resolve("node_modules"))) {
          return Optional.of("the peers are not installed: run bench/fanout.sh, or npm ci in "
              + peers);
        }
        return Optional.empty();
      }

      @Override
      Running start(int feedPort, Path logs, String label) throws IOException, InterruptedException {
        List<String> command = List.of("node", peers.resolve(script).toString(),
            "--feed", "127.0.0.1:" + feedPort, "--port", "0");
        return process(command, RELAY_READY, logs.resolve(label + ".log"), protocol.path);
      }
    };
  }

  /**
   * A server started by someone else, fed from the feeder's port; CPU and RSS need its pid, or
   * the pids of every process serving (a cluster's nodes and its proxy), summed.
   */
  static Target external(URI uri, Protocol protocol, List<Long> pids) {
    return new Target("target", protocol) {
      @Override
      boolean managed() {
        return false;
      }

      @Override
      Running start(int feedPort, Path logs, String label) {
        return new Running() {
          @Override
          public URI uri() {
            return uri;
          }

          @Override
          public OptionalLong pid() {
            return pids.size() == 1 ? OptionalLong.of(pids.get(0)) : OptionalLong.empty();
          }

          @Override
          public List<Long> pids() {
            return List.copyOf(pids);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  private static Running process(List<String> command, Pattern ready, Path log, String path)
      throws IOException, InterruptedException {
    ServerProcess p = ServerProcess.start(command, ready, log, START_TIMEOUT);
    URI uri = URI.create("ws://127.0.0.1:" + p.port() + path);
    return new Running() {
      @Override
      public URI uri() {
        return uri;
      }

      @Override
      public OptionalLong pid() {
        return OptionalLong.of(p.pid());
      }

      @Override
      public void close() throws InterruptedException {
        p.close();
      }
    };
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
