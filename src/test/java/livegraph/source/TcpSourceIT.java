package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TCP source over real loopback sockets, listening and connecting. */
class TcpSourceIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String HOST = "127.0.0.1";

  @RegisterExtension static final EventLoops loops = new EventLoops(2, "tcp-source-it");

  private TcpSource source;
  private final Queue<Event> events = new ConcurrentLinkedQueue<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    if (source != null) {
      source.close();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private TcpSource start(int port, boolean listen, int maxConnections) {
    return start(port, listen, maxConnections, Duration.ofMillis(20));
  }

  /** @param backoff the first retry delay; each is at least half of it */
  private TcpSource start(int port, boolean listen, int maxConnections, Duration backoff) {
    SourceContext context = loops.context(7, backoff, backoff.multipliedBy(4));
    source =
        new TcpSource(
            new TcpSpec("tcp", HOST, port, listen, Decoding.fields("/p", "/n")),
            context,
            10_000,
            maxConnections);
    source.start(events::add);
    return source;
  }

  private int listening() {
    start(0, true, TcpSource.MAX_CONNECTIONS);
    Poll.until(WAIT, () -> source.status().state() == State.LIVE, "listening");
    return source.boundPort();
  }

  private Socket producer(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getByName(HOST), port);
    closeables.add(socket);
    return socket;
  }

  private static String lines(String producer, int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int n = from; n < to; n++) {
      text.append("{\"p\":\"").append(producer).append("\",\"n\":").append(n).append("}\n");
    }
    return text.toString();
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void awaitEvents(int n) {
    Poll.until(WAIT, () -> events.size() >= n, n + " events, have " + events.size());
    Poll.holds(Duration.ofMillis(50), () -> events.size() == n, "exactly " + n + " events");
  }

  private void awaitDetail(String regex) {
    try {
      Poll.until(WAIT, () -> source.status().detail().matches(regex), "detail matching " + regex);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; status now " + source.status(), e);
    }
  }

  private Map<String, List<Object>> byProducer() {
    return List.copyOf(events).stream()
        .collect(
            Collectors.groupingBy(
                e -> (String) e.fields().get("/p"),
                Collectors.mapping(e -> e.fields().get("/n"), Collectors.toList())));
  }

  private static List<Object> range(int from, int to) {
    List<Object> out = new ArrayList<>();
    for (long n = from; n < to; n++) {
      out.add(n);
    }
    return out;
  }

  @Test
  void listening_onPortZero_acceptsManyProducers_eachLineOneEvent() throws Exception {
    int port = listening();
    assertThat(port).isPositive();
    awaitDetail("listening on 127\\.0\\.0\\.1:" + port + ", 0 producers");

    List<Thread> writers = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      Socket socket = producer(port);
      sockets.add(socket);
      Thread writer =
          new Thread(
              () -> {
                try {
                  send(socket, lines(name, 0, 2000));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      writers.add(writer);
      writer.start();
    }
    for (Thread w : writers) {
      w.join(WAIT.toMillis());
    }

    awaitEvents(6000);
    awaitDetail("listening on 127\\.0\\.0\\.1:" + port + ", 3 producers");
    assertThat(byProducer())
        .containsOnlyKeys("a", "b", "c")
        .allSatisfy((name, numbers) -> assertThat(numbers).isEqualTo(range(0, 2000)));
    assertThat(events).allSatisfy(e -> assertThat(e.fields()).containsEntry("@source", "tcp"));

    for (Socket s : sockets) {
      s.close();
    }
    awaitDetail("listening on 127\\.0\\.0\\.1:" + port + ", 0 producers");
    assertThat(source.status().state()).isEqualTo(State.LIVE);
  }

  @Test
  void listening_aProducerThatHangsUpMidLine_stillCounts_andLongLinesAreSkipped() throws Exception {
    int port = listening();
    Socket socket = producer(port);

    send(socket, "{\"n\":\"" + "x".repeat(LineSplitter.MAX_LINE_BYTES) + "\"}\n");
    send(socket, "{\"p\":\"a\",\"n\":0}\nnot json\n\n{\"p\":\"a\",\"n\":1}");
    socket.shutdownOutput();

    awaitEvents(2);
    assertThat(byProducer()).containsEntry("a", range(0, 2));
    assertThat(source.status().skipped())
        .containsEntry(SkipReason.TOO_LARGE, 1L)
        .containsEntry(SkipReason.NOT_JSON, 1L);
  }

  @Test
  void listening_beyondTheConnectionLimit_newProducersAreClosed_othersCarryOn() throws Exception {
    start(0, true, 2);
    Poll.until(WAIT, () -> source.status().state() == State.LIVE, "listening");
    int port = source.boundPort();
    Socket first = producer(port);
    Socket second = producer(port);
    awaitDetail(".*, 2 producers");

    Socket third = producer(port);
    third.setSoTimeout((int) WAIT.toMillis());
    InputStream in = third.getInputStream();
    assertThat(in.read()).as("the third producer is hung up on").isEqualTo(-1);

    send(first, lines("a", 0, 1));
    send(second, lines("b", 0, 1));
    awaitEvents(2);
    assertThat(byProducer()).containsOnlyKeys("a", "b");
  }

  @Test
  void connecting_readsLines_andReconnectsAfterTheServerCloses() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    closeables.add(server);
    server.setSoTimeout((int) WAIT.toMillis());

    // A first delay of at least 200 ms: long enough to see the reconnecting status.
    start(server.getLocalPort(), false, TcpSource.MAX_CONNECTIONS, Duration.ofMillis(400));
    try (Socket first = server.accept()) {
      awaitDetail("connected to 127\\.0\\.0\\.1:" + server.getLocalPort());
      send(first, lines("s", 0, 500));
      awaitEvents(500);
    }
    awaitDetail("reconnecting in \\d+ ms: closed by server");
    assertThat(source.status().state()).isEqualTo(State.RECONNECTING);

    try (Socket second = server.accept()) {
      send(second, lines("s", 500, 1000));
      awaitEvents(1000);
      assertThat(byProducer()).containsEntry("s", range(0, 1000));
      assertThat(source.status().reconnects()).isEqualTo(1);
      assertThat(source.status().state()).isEqualTo(State.LIVE);
    }
  }

  @Test
  void connecting_toNothing_saysConnectionRefused_andKeepsTrying() throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      port = gone.getLocalPort();
    }

    start(port, false, TcpSource.MAX_CONNECTIONS);

    awaitDetail("reconnecting in \\d+ ms: connection refused");
    Poll.until(WAIT, () -> source.status().reconnects() >= 2, "two more attempts");
    assertThat(source.status().state()).isIn(State.RECONNECTING, State.CONNECTING);

    // The server comes up on that port: the source gets there and reads.
    ServerSocket server = new ServerSocket();
    closeables.add(server);
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    server.setSoTimeout((int) WAIT.toMillis());
    try (Socket s = server.accept()) {
      send(s, lines("late", 0, 3));
      awaitEvents(3);
    }
  }

  @Test
  void listening_onABusyPort_retriesUntilItIsFree() throws Exception {
    ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    closeables.add(squatter);
    int port = squatter.getLocalPort();

    start(port, true, TcpSource.MAX_CONNECTIONS, Duration.ofMillis(400));
    awaitDetail("retrying in \\d+ ms: cannot listen on 127\\.0\\.0\\.1:" + port + ": .*");
    assertThat(source.status().state()).isEqualTo(State.RECONNECTING);
    squatter.close();

    awaitDetail("listening on 127\\.0\\.0\\.1:" + port + ", 0 producers");
    assertThat(source.boundPort()).isEqualTo(port);
    send(producer(port), lines("a", 0, 1));
    awaitEvents(1);
  }

  @Test
  void close_releasesTheListeningPort_andIsFinal() throws Exception {
    int port = listening();
    Socket socket = producer(port);
    awaitDetail(".*, 1 producer");

    source.close();

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    socket.setSoTimeout((int) WAIT.toMillis());
    assertThat(socket.getInputStream().read()).as("producer hung up on").isEqualTo(-1);
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    }
    assertThat(events).isEmpty();
  }
}
