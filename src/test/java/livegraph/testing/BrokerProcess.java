package livegraph.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker server for integration tests: by preference a process of our own on a free loopback
 * port, which a test may {@link #stop()}, {@link #start()} again and {@link #restart()} on the
 * same port; or, when the binary is not installed, the machine's shared instance on the
 * standard port, which tests must not stop (see {@link #ownProcess()}).
 *
 * <p>Every process started here is killed by {@link #close()}, and by a JVM shutdown hook
 * should a test run end without closing it.
 */
public abstract class BrokerProcess implements AutoCloseable {

  /** {@code -Dlivegraph.sharedBrokers=true} uses the shared instances as if no binary were installed. */
  public static final String SHARED_PROPERTY = "livegraph.sharedBrokers";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "broker-reaper"));
  }

  private final String name;
  private final String binary;
  private final boolean own;
  private final int port;
  private final Path dir; // logs and config of our own process; null for the shared instance
  private Process process; // null while stopped

  /**
   * Starts {@code binary} if it is installed, else uses the shared instance on {@code
   * sharedPort}.
   */
  BrokerProcess(String name, String binary, int sharedPort) {
    this.name = name;
    this.binary = binary;
    Path executable = Boolean.getBoolean(SHARED_PROPERTY) ? null : find(binary);
    this.own = executable != null;
    if (!own) {
      this.port = sharedPort;
      this.dir = null;
      awaitAccepting(START_TIMEOUT);
      return;
    }
    try {
      this.dir = Files.createTempDirectory("livegraph-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A free port can be taken between asking and binding; try a few.
    int chosen = 0;
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < 3 && chosen == 0; attempt++) {
      int candidate = freePort();
      try {
        launch(executable, candidate);
        chosen = candidate;
      } catch (IllegalStateException e) {
        failure = e;
      }
    }
    if (chosen == 0) {
      throw failure;
    }
    this.port = chosen;
  }

  /** The command line that starts the broker on {@code port} of 127.0.0.1. */
  abstract List<String> command(Path executable, int port, Path dir) throws IOException;

  /** The broker's name: "redis", "mosquitto", "nats". */
  public String name() {
    return name;
  }

  /** Whether this is a process of our own that a test may stop and restart. */
  public boolean ownProcess() {
    return own;
  }

  /** Why a restart test cannot run here, for an assumption message. */
  public String whyNoRestart() {
    return (Boolean.getBoolean(SHARED_PROPERTY) ? SHARED_PROPERTY + " is set" : name + " is not installed here")
        + ", so the tests share the machine's instance on port " + port + ", which they must not stop";
  }

  public int port() {
    return port;
  }

  /** The directory of our own process's logs and files (null for the shared instance). */
  protected Path dir() {
    return dir;
  }

  /** {@code scheme://127.0.0.1:port}. */
  public URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port);
  }

  /** Kills the process (SIGKILL: a crash, the harshest case) and waits until the port is closed. */
  public synchronized void stop() {
    requireOwn();
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    kill(p);
    Poll.until(STOP_TIMEOUT, () -> !accepting(), name + " on port " + port + " to stop listening");
  }

  /** Starts the process again on the same port and waits until it accepts connections. */
  public synchronized void start() {
    requireOwn();
    if (process != null) {
      return;
    }
    launch(find(binary), port);
  }

  /**
   * Stops the process without closing its sockets (SIGSTOP): connections stay open and get no
   * answer, as with a hung server or a lost network path.
   */
  public synchronized void freeze() {
    signal("STOP");
  }

  /** Lets a frozen process run again (SIGCONT). */
  public synchronized void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    requireOwn();
    if (process == null) {
      throw new IllegalStateException(name + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #stop()} then {@link #start()}. */
  public void restart() {
    stop();
    start();
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      kill(process);
      process = null;
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // A temp dir left behind is harmless.
      }
    }
  }

  private void launch(Path executable, int onPort) {
    Path log = dir.resolve(name + ".log");
    Process p;
    try {
      p =
          new ProcessBuilder(command(executable, onPort, dir))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    RUNNING.add(p);
    try {
      Poll.until(
          START_TIMEOUT, () -> accepting(onPort) || !p.isAlive(), name + " accepting on port " + onPort);
    } catch (AssertionError timedOut) {
      kill(p);
      throw new IllegalStateException(timedOut.getMessage() + "; its log: " + tail(log));
    }
    if (!p.isAlive()) {
      kill(p);
      throw new IllegalStateException(name + " exited at start on port " + onPort + ": " + tail(log));
    }
    process = p;
  }

  private void kill(Process p) {
    p.destroyForcibly();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(p);
    }
  }

  private void requireOwn() {
    if (!own) {
      throw new IllegalStateException(whyNoRestart());
    }
  }

  private void awaitAccepting(Duration timeout) {
    Poll.until(timeout, this::accepting, name + " accepting connections on port " + port);
  }

  /** Whether something accepts a TCP connection on the port now. */
  public boolean accepting() {
    return accepting(port);
  }

  private static boolean accepting(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path find(String binary) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin:/sbin";
    for (String d : path.split(":")) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public String toString() {
    return name + (own ? " (own process)" : " (shared)") + " on 127.0.0.1:" + port;
  }
}
