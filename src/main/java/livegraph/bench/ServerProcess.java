package livegraph.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a process of its own, so that its {@code /proc} figures are its alone:
 * started with a command, ready when a line of its standard output matches a pattern whose
 * first group is the port it listens on. Its output goes to a log file.
 */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Path log;

  private ServerProcess(List<String> command, Pattern ready, Path log) throws IOException {
    this.log = log;
    Files.createDirectories(log.toAbsolutePath().getParent());
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> copy(ready), "bench-server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command} and waits until it prints its port; throws with the log's path. */
  static ServerProcess start(List<String> command, Pattern ready, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ServerProcess p = new ServerProcess(command, ready, log);
    try {
      p.port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return p;
    } catch (ExecutionException | TimeoutException e) {
      p.close();
      throw new IOException("did not become ready within " + timeout.toSeconds() + " s: "
          + String.join(" ", command) + " (output in " + log + ")");
    }
  }

  private void copy(Pattern ready) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        out.flush();
        if (!port.isDone()) {
          Matcher m = ready.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IOException("exited before it was ready"));
  }

  int port() {
    return port.join();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Stops the process: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
