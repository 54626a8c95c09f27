package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import livegraph.Transport;
import livegraph.hub.Hub;
import livegraph.testing.Poll;
import livegraph.testing.TestViewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer moving between its dashboard's hub and views' hubs over a real socket, against
 * views the test holds: by URL, by message, refused, and sent back when its view closes.
 */
class ViewSwitchIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private EventLoopGroup group;
  private ViewerServer server;
  private final Hub main = hub("main");
  private final TestViews views = new TestViews();

  /** One hub per value; "busy" is refused; leases recorded, released ones counted. */
  private static final class TestViews implements Views {
    final Map<String, Hub> hubs = new ConcurrentHashMap<>();
    final List<Lease> open = new CopyOnWriteArrayList<>();
    final List<Views.OnClosed> told = new CopyOnWriteArrayList<>();

    @Override
    public Answer open(String field, String value, OnClosed onClosed) {
      if (value.equals("busy")) {
        return new Refused("too many filtered views");
      }
      Hub hub = hubs.computeIfAbsent(field + "=" + value, ViewSwitchIT::hub);
      Lease lease = new Lease() {
        @Override
        public Hub hub() {
          return hub;
        }

        @Override
        public void release() {
          open.remove(this);
        }
      };
      open.add(lease);
      told.add(onClosed);
      return new Opened(lease);
    }
  }

  @BeforeEach
  void start() throws Exception {
    group = Transport.group(2, "test-server");
    Dashboards dashboards = new Dashboards() {
      @Override
      public List<Entry> list() {
        return List.of(new Entry("d", "D"));
      }

      @Override
      public Hub hub(String name) {
        return name.equals("d") ? main : null;
      }

      @Override
      public Views views(String name) {
        return views;
      }
    };
    server = new ViewerServer(dashboards, () -> bytes("{}"), Set.of(), group)
        .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private TestViewer connect(String query) {
    return TestViewer.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws" + query),
        "http://127.0.0.1:" + server.port());
  }

  private static String helloName(JsonNode hello) {
    assertThat(hello.get("type").asText()).isEqualTo("hello");
    return hello.get("name").asText();
  }

  @Test
  void aUrlFilter_joinsThatViewsHub_andLeavingReleasesIt() throws Exception {
    try (TestViewer v = connect("?filter=site&value="
        + URLEncoder.encode("c# & <b>", StandardCharsets.UTF_8))) {
      assertThat(helloName(v.next(WAIT))).isEqualTo("site=c# & <b>");
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      assertThat(views.open).hasSize(1);
      assertThat(main.viewers()).isZero();
    }
    Poll.until(WAIT, () -> views.open.isEmpty(), "the lease released when the socket closed");
    Poll.until(WAIT, () -> views.hubs.get("site=c# & <b>").viewers() == 0, "left the hub");
  }

  @Test
  void viewMessages_moveTheViewer_newHelloAndSnapshot_eachTime() throws Exception {
    try (TestViewer v = connect("")) {
      assertThat(helloName(v.next(WAIT))).isEqualTo("main");
      v.next(WAIT);

      v.send("{\"type\":\"view\",\"filter\":{\"field\":\"site\",\"value\":\"math\"}}");
      assertThat(helloName(v.next(WAIT))).isEqualTo("site=math");
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      Poll.until(WAIT, () -> main.viewers() == 0 && views.hubs.get("site=math").viewers() == 1,
          "moved to the view's hub");

      v.send("{\"type\":\"view\",\"filter\":{\"field\":\"site\",\"value\":\"ux\"}}");
      assertThat(helloName(v.next(WAIT))).isEqualTo("site=ux");
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      Poll.until(WAIT, () -> views.open.size() == 1, "the math lease given back");

      v.send("{\"type\":\"view\",\"filter\":null}");
      assertThat(helloName(v.next(WAIT))).isEqualTo("main");
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      Poll.until(WAIT, () -> views.open.isEmpty() && main.viewers() == 1, "back in main");
    }
  }

  @Test
  void aRefusedView_isAnError_andTheViewerStaysWhereItWas() throws Exception {
    try (TestViewer v = connect("?filter=site&value=busy")) {
      assertThat(helloName(v.next(WAIT))).isEqualTo("main");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText()).isEqualTo("filter refused: too many filtered views");

      v.send("{\"type\":\"view\",\"filter\":{\"field\":\"site\",\"value\":\"math\"}}");
      assertThat(helloName(v.until(WAIT, "hello", m -> m.get("type").asText().equals("hello"))))
          .isEqualTo("site=math");
      v.send("{\"type\":\"view\",\"filter\":{\"field\":\"site\",\"value\":\"busy\"}}");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText()).isEqualTo("filter refused: too many filtered views");

      views.hubs.get("site=math").publish(Map.of("a", bytes("{\"n\":1}")));
      JsonNode delta = v.until(WAIT, "delta", m -> m.get("type").asText().equals("delta"));
      assertThat(delta.at("/charts/a/n").asInt()).as("still in the math view").isEqualTo(1);
      assertThat(views.open).hasSize(1);
    }
  }

  @Test
  void aMalformedUrlFilter_isAnError_andTheWholeDashboard() throws Exception {
    try (TestViewer v = connect("?filter=site")) {
      assertThat(helloName(v.next(WAIT))).isEqualTo("main");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText())
          .isEqualTo("filter refused: the URL needs one filter and one value");
    }
  }

  @Test
  void aViewClosedUnderTheViewer_sendsItBackToTheDashboard_withTheReason() throws Exception {
    try (TestViewer v = connect("?filter=site&value=math")) {
      assertThat(helloName(v.next(WAIT))).isEqualTo("site=math");
      v.next(WAIT);
      Views.Lease lease = views.open.get(0);

      views.told.get(0).closed(lease, "filter cleared: dashboard reloaded");

      assertThat(helloName(v.next(WAIT))).isEqualTo("main");
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("snapshot");
      assertThat(v.until(WAIT, "error", m -> m.get("type").asText().equals("error"))
          .get("message").asText()).isEqualTo("filter cleared: dashboard reloaded");
      Poll.until(WAIT, () -> main.viewers() == 1 && views.open.isEmpty(), "back in main");

      // A stale notice (the viewer is no longer on that lease) moves nothing.
      views.told.get(0).closed(lease, "late");
      main.publish(Map.of("a", bytes("{\"n\":7}")));
      assertThat(v.next(WAIT).get("type").asText()).isEqualTo("delta");
    }
  }

  private static Hub hub(String name) {
    return new Hub(bytes("{\"type\":\"hello\",\"name\":\"" + name.replace("\"", "") + "\"}"),
        Map.of("a", bytes("{\"n\":0}")), System::currentTimeMillis, Hub.Limits.defaults());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
