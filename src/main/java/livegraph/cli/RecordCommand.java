package livegraph.cli;

import io.netty.channel.EventLoopGroup;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.Livegraph;
import livegraph.Transport;
import livegraph.emulator.ReplayFeed;
import livegraph.pipeline.Clock;
import livegraph.source.Backoff;
import livegraph.source.Source;
import livegraph.source.SourceContext;
import livegraph.source.StackExchangeFeed;
import livegraph.source.WebSocketSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code livegraph record}: writes a feed's raw frames as JSON lines for later replay. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Records the raw frames of a StackExchange-protocol feed as JSON lines ({\"at\":ms,\"frame\":\"...\"}).")
final class RecordCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--feed", required = true, description = "live, or ws://HOST:PORT/ of a StackExchange-protocol server.")
  String feed;

  @Option(names = "--out", required = true, description = "File to write (replaced).")
  Path out;

  @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (e.g. 10m). Default: until Ctrl-C.")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    URI uri;
    try {
      uri = feed.equals("live") ? Livegraph.LIVE_FEED : new URI(feed);
    } catch (java.net.URISyntaxException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--feed is not a URL: " + feed);
    }
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--feed must be live or a ws:// or wss:// URL: " + feed);
    }
    AtomicLong frames = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long start = System.currentTimeMillis();
    CountDownLatch done = new CountDownLatch(1);
    PrintStream err = System.err;
    EventLoopGroup group = Transport.group(1, "livegraph-source");
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      Object lock = new Object();
      SourceContext context = new SourceContext(Clock.system(), group, new SplittableRandom(),
          Backoff.BASE, Backoff.CAP);
      Source source =
          WebSocketSource.recording(
              StackExchangeFeed.spec("record", uri, Duration.ofMinutes(5)),
              context,
                  frame -> {
                    if (frame.contains("\"action\":\"hb\"")) {
                      return; // heartbeats are the connection's business, not the recording's
                    }
                    String line = ReplayFeed.recordLine(System.currentTimeMillis(), frame);
                    synchronized (lock) {
                      try {
                        writer.write(line);
                        writer.newLine();
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }
                    frames.incrementAndGet();
                    bytes.addAndGet(line.length() + 1);
                  });
      Runtime.getRuntime().addShutdownHook(new Thread(done::countDown, "livegraph-record-stop"));
      source.start(event -> true);
      long deadline = duration == null ? Long.MAX_VALUE : start + duration.toMillis();
      while (System.currentTimeMillis() < deadline && !done.await(1, TimeUnit.SECONDS)) {
        err.printf("\rrecording %s: %d frames, %d KB, %d s, %s   ", uri, frames.get(),
            bytes.get() / 1024, (System.currentTimeMillis() - start) / 1000,
            source.status().state().name().toLowerCase(java.util.Locale.ROOT));
      }
      source.close();
      synchronized (lock) {
        writer.flush();
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
    err.printf("%nrecorded %d frames to %s%n", frames.get(), out);
    return 0;
  }
}
