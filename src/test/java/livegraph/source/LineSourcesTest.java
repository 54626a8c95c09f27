package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.pipeline.Clock;
import livegraph.source.SourceStatus.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Sources#open} builds the line sources, unstarted. */
class LineSourcesTest {

  private static EventLoopGroup group;
  private static SourceContext context;

  @BeforeAll
  static void startGroup() {
    group = Transport.group(1, "line-sources-test");
    context =
        new SourceContext(
            Clock.system(), group, new SplittableRandom(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Test
  void stdinSpec_opensAStdinSource() {
    try (Source source = Sources.open(new StdinSpec("in", Decoding.fields("level")), context)) {
      assertThat(source).isInstanceOf(StdinSource.class);
      assertThat(source.description()).isEqualTo("standard input");
      assertThat(source.status().state()).isEqualTo(State.CONNECTING);
    }
  }

  @Test
  void fileSpec_opensAFileSource() {
    FileSpec spec = new FileSpec("log", Path.of("app.log"), true, Decoding.fields("level"));
    try (Source source = Sources.open(spec, context)) {
      assertThat(source).isInstanceOf(FileSource.class);
      assertThat(source.description()).isEqualTo("following app.log");
    }
  }

  @Test
  void tcpSpec_opensATcpSource() {
    TcpSpec spec = new TcpSpec("tcp", "127.0.0.1", 0, true, Decoding.fields("level"));
    try (Source source = Sources.open(spec, context)) {
      assertThat(source).isInstanceOf(TcpSource.class);
      assertThat(source.description()).isEqualTo("listening on 127.0.0.1:0");
      assertThat(((TcpSource) source).boundPort()).isZero();
    }
  }

  @Test
  void closedBeforeStart_staysClosed_andStartDoesNothing() {
    Source source = Sources.open(new StdinSpec("in", Decoding.fields("level")), context);
    source.close();
    source.start(e -> true);

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
  }
}
