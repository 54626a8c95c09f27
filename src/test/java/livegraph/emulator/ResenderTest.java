package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Re-sending in memory: the test thread is the player loop, an {@link EmbeddedChannel} is the
 * client.
 */
class ResenderTest {

  private static final long WINDOW_MS = 10_000;

  private final Clients clients = new Clients();
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  private Resender resender(int capacity) {
    return new Resender(new RecentFrames(WINDOW_MS, capacity), clients, now::get);
  }

  private EmbeddedChannel client() {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return ch;
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private static void play(Resender resender, String frame) {
    resender.play(frame);
  }

  private static List<String> written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    List<String> out = new ArrayList<>();
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      out.add(((TextWebSocketFrame) o).text());
      ReferenceCountUtil.release(o);
    }
    return out;
  }

  private static void writable(EmbeddedChannel ch, boolean writable) {
    ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
    buffer.setUserDefinedWritability(1, writable);
  }

  @Test
  void subscriber_getsFramesPlayedWhileNobodyListened_thenLiveFrames_eachOnce() {
    Resender resender = resender(100);
    for (int i = 0; i < 5; i++) {
      play(resender, "f" + i);
    }
    EmbeddedChannel ch = client();
    resender.subscribe(ch);
    assertThat(clients.subscribedActive.contains(ch)).isTrue();
    play(resender, "f5");
    play(resender, "f6");

    assertThat(written(ch)).containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6");
    assertThat(resender.catchingUp()).isZero();
  }

  @Test
  void framesOlderThanTheWindow_areNotResent() {
    Resender resender = resender(100);
    play(resender, "old");
    now.addAndGet(WINDOW_MS - 1);
    play(resender, "young");
    now.addAndGet(1); // "old" is now exactly the window old
    EmbeddedChannel ch = client();
    resender.subscribe(ch);

    assertThat(written(ch)).containsExactly("young");
  }

  @Test
  void resendIsBoundedByTheRing_newestFramesOnly() {
    Resender resender = resender(3);
    for (int i = 0; i < 10; i++) {
      play(resender, "f" + i);
    }
    EmbeddedChannel ch = client();
    resender.subscribe(ch);

    assertThat(written(ch)).containsExactly("f7", "f8", "f9");
  }

  @Test
  void clientThatCannotTakeMore_waits_andCatchesUpWhenWritable_withoutGapOrRepeat() {
    Resender resender = resender(100);
    play(resender, "f0");
    play(resender, "f1");
    EmbeddedChannel ch = client();
    writable(ch, false);
    resender.subscribe(ch);
    play(resender, "f2"); // played while the client is catching up: reaches it through the ring

    assertThat(written(ch)).isEmpty();
    assertThat(clients.subscribedActive.contains(ch)).isFalse();
    assertThat(resender.catchingUp()).isEqualTo(1);

    now.addAndGet(WINDOW_MS * 5); // ageing out must spare what a catching-up client needs
    play(resender, "f3");
    writable(ch, true);
    resender.writable(ch);
    play(resender, "f4");

    assertThat(written(ch)).containsExactly("f0", "f1", "f2", "f3", "f4");
    assertThat(clients.framesLostInResend.sum()).isZero();
  }

  @Test
  void clientFilledByTheResend_staysCatchingUp_soTheNextFrameIsNotSkippedAsSlow() {
    Resender resender = resender(100);
    play(resender, "f0");
    play(resender, "f1");
    EmbeddedChannel ch = client();
    // the second write fills the socket, as a long re-send does
    ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      private int writes;

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (++writes == 2) {
          writable(ch, false);
        }
        ctx.write(msg, promise);
      }
    });
    resender.subscribe(ch);
    play(resender, "f2");
    writable(ch, true);
    resender.writable(ch);
    play(resender, "f3");

    assertThat(written(ch)).containsExactly("f0", "f1", "f2", "f3");
    assertThat(clients.framesSkippedSlow.sum()).isZero();
  }

  @Test
  void clientThatCatchesUpDuringAPlay_getsThatFrameOnce() {
    Resender resender = resender(100);
    play(resender, "f0");
    EmbeddedChannel ch = client();
    writable(ch, false);
    resender.subscribe(ch);
    writable(ch, true); // drained, but the resender is not told: the next play pumps it
    play(resender, "f1");
    play(resender, "f2");

    assertThat(written(ch)).containsExactly("f0", "f1", "f2");
  }

  @Test
  void clientThatFallsAWholeRingBehind_losesTheOverwrittenFrames_counted() {
    Resender resender = resender(2);
    play(resender, "f0");
    EmbeddedChannel ch = client();
    writable(ch, false);
    resender.subscribe(ch);
    for (int i = 1; i < 5; i++) {
      play(resender, "f" + i);
    }
    writable(ch, true);
    resender.writable(ch);

    assertThat(written(ch)).containsExactly("f3", "f4");
    assertThat(clients.framesLostInResend.sum()).isEqualTo(3);
  }

  @Test
  void secondSubscribe_doesNotResendAgain_andUnsubscribeStopsFrames() {
    Resender resender = resender(100);
    play(resender, "f0");
    EmbeddedChannel ch = client();
    resender.subscribe(ch);
    resender.subscribe(ch);
    play(resender, "f1");
    resender.unsubscribe(ch);
    play(resender, "f2");

    assertThat(written(ch)).containsExactly("f0", "f1");
  }

  @Test
  void pausedData_isNotResent_untilItFlowsAgain() {
    Resender resender = resender(100);
    play(resender, "f0");
    clients.dataPaused(true);
    EmbeddedChannel ch = client();
    resender.subscribe(ch);
    assertThat(written(ch)).isEmpty();

    clients.dataPaused(false);
    play(resender, "f1");
    assertThat(written(ch)).containsExactly("f0", "f1");
  }
}
