package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-client protocol logic in memory, with the event loop's time driven by the test. */
class ClientHandlerTest {

  private static final long INTERVAL_MS = 100;
  private static final long TIMEOUT_MS = 250;

  private final Clients clients = new Clients();
  private final AtomicInteger activeSubscribes = new AtomicInteger();

  private EmbeddedChannel connectedChannel() {
    EmbeddedChannel ch = new EmbeddedChannel(new ClientHandler(clients,
        activeSubscribes::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS),
        TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
    ch.freezeTime();
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/", new DefaultHttpHeaders(), null));
    return ch;
  }

  // ChannelGroup is both a Set and Comparable, which confuses AssertJ's overloads.
  private static List<Channel> members(ChannelGroup group) {

    return List.copyOf(group);
  }

  private static void advance(EmbeddedChannel ch, long millis) {
    ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  private static int heartbeatsWritten(EmbeddedChannel ch) {
    int n = 0;
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      if (o instanceof TextWebSocketFrame t && t.text().equals(Frames.HEARTBEAT)) {
        n++;
      }
      ReferenceCountUtil.release(o);
    }
    return n;
  }

  @Test
  void subscribeAndUnsubscribe_trackGroups_andTheActiveChannelStartsTheFeed() {
    EmbeddedChannel ch = connectedChannel();
    ch.writeInbound(new TextWebSocketFrame("1-questions-newest"));
    assertThat(members(clients.subscribedAny)).contains(ch);
    assertThat(members(clients.subscribedActive)).doesNotContain(ch);

    ch.writeInbound(new TextWebSocketFrame(" 155-questions-active\n"));
    assertThat(members(clients.subscribedActive)).contains(ch);
    assertThat(activeSubscribes).hasValue(1);

    ch.writeInbound(new TextWebSocketFrame("-155-questions-active"));
    assertThat(members(clients.subscribedActive)).doesNotContain(ch);
    assertThat(members(clients.subscribedAny)).contains(ch);
    ch.writeInbound(new TextWebSocketFrame("-1-questions-newest"));
    assertThat(members(clients.subscribedAny)).doesNotContain(ch);
    assertThat(clients.subscribeMessages.sum()).isEqualTo(2);
    ch.finishAndReleaseAll();
  }

  @Test
  void junkFromClient_isCountedAndIgnored_andChannelsPerClientAreBounded() {
    EmbeddedChannel ch = connectedChannel();
    ch.writeInbound(new TextWebSocketFrame(""));
    ch.writeInbound(new TextWebSocketFrame("two words"));
    ch.writeInbound(new TextWebSocketFrame("x".repeat(ClientHandler.MAX_CHANNEL_NAME + 1)));
    ch.writeInbound(new BinaryWebSocketFrame());
    assertThat(clients.messagesIgnored.sum()).isEqualTo(4);
    assertThat(members(clients.subscribedAny)).isEmpty();

    for (int i = 0; i < ClientHandler.MAX_CHANNELS + 10; i++) {
      ch.writeInbound(new TextWebSocketFrame(i + "-questions-active"));
    }
    assertThat(clients.messagesIgnored.sum()).isEqualTo(4 + 10);
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void heartbeat_everyInterval_andAnUnansweredOneDropsTheClientOnce() {
    EmbeddedChannel ch = connectedChannel();
    advance(ch, INTERVAL_MS);
    assertThat(heartbeatsWritten(ch)).isEqualTo(1);
    advance(ch, INTERVAL_MS);
    assertThat(heartbeatsWritten(ch)).isEqualTo(1);
    assertThat(clients.droppedForMissedHeartbeats.sum()).isZero();

    advance(ch, TIMEOUT_MS - INTERVAL_MS); // the first heartbeat is now TIMEOUT_MS old
    assertThat(clients.droppedForMissedHeartbeats.sum()).isEqualTo(1);
    boolean closeFrameSent = false;
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      closeFrameSent |= o instanceof CloseWebSocketFrame c && c.statusCode() == 1001;
      ReferenceCountUtil.release(o);
    }
    assertThat(closeFrameSent).isTrue();
    assertThat(ch.isOpen()).isFalse();
    advance(ch, 10 * TIMEOUT_MS);
    assertThat(clients.droppedForMissedHeartbeats.sum()).isEqualTo(1);
  }

  @Test
  void answeredHeartbeats_keepTheClient_acrossManyTimeouts() {
    EmbeddedChannel ch = connectedChannel();
    for (int i = 0; i < 20; i++) {
      advance(ch, INTERVAL_MS);
      assertThat(heartbeatsWritten(ch)).isEqualTo(1);
      ch.writeInbound(new TextWebSocketFrame(i % 2 == 0 ? "hb" : Frames.HEARTBEAT));
    }
    assertThat(clients.heartbeatReplies.sum()).isEqualTo(20);
    assertThat(clients.droppedForMissedHeartbeats.sum()).isZero();
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void aClientsClose_isAnsweredOnce_withItsCode() {
    EmbeddedChannel ch = connectedChannel();
    ch.writeInbound(new CloseWebSocketFrame(1000, "bye"));

    Object answer = ch.readOutbound();
    assertThat(answer).isInstanceOfSatisfying(CloseWebSocketFrame.class,
        c -> assertThat(c.statusCode()).isEqualTo(1000));
    ReferenceCountUtil.release(answer);
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void afterGoingAway_theClientsAnswerIsNotAnsweredAgain() {
    // Writes held unfinished, as on a real socket between our close and the TCP close: the
    // client's answer can be read in that moment. A browser fails a socket that gets a
    // second close ("Close received after close").
    List<Object> written = new java.util.ArrayList<>();
    EmbeddedChannel ch = connectedChannel();
    ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
          io.netty.channel.ChannelPromise promise) {
        written.add(msg);
      }
    });
    var ctx = ch.pipeline().context(ClientHandler.class);
    ((ClientHandler) ctx.handler()).goAway(ctx);
    assertThat(ch.isOpen()).as("waiting for the close frame to be written").isTrue();

    ch.writeInbound(new CloseWebSocketFrame(1001, null));

    assertThat(written).singleElement().isInstanceOfSatisfying(CloseWebSocketFrame.class,
        c -> assertThat(c.statusCode()).isEqualTo(1001));
    assertThat(ch.isOpen()).isFalse();
    written.forEach(ReferenceCountUtil::release);
  }
}
