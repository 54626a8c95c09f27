package livegraph.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.FrameSink;
import org.junit.jupiter.api.Test;

class HubTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Hub hub =
      new Hub(
          bytes("{\"type\":\"hello\"}"),
          charts("a", "{\"n\":0}", "b", "{\"n\":0}"),
          now::get,
          new Hub.Limits(3, 1 << 20, 5_000));

  @Test
  void lateJoiner_getsHelloThenSnapshotOfCurrentState() {
    hub.publish(charts("a", "{\"n\":1}"));
    hub.publish(charts("b", "{\"n\":7}"));

    RecordingViewer late = new RecordingViewer();
    hub.join(late, OptionalLong.empty());

    assertThat(late.types()).containsExactly("hello", "snapshot");
    assertThat(late.last().get("seq").asLong()).isEqualTo(hub.seq());
    assertThat(late.last().at("/charts/a/n").asInt()).isEqualTo(1);
    assertThat(late.last().at("/charts/b/n").asInt()).isEqualTo(7);
  }

  @Test
  void closeAll_closesEveryViewer_andAViewerJoiningAfterIsClosedLikewise_andSentNothing() {
    RecordingViewer before = new RecordingViewer();
    hub.join(before, OptionalLong.empty());

    hub.closeAll(1001, "server shutting down");
    RecordingViewer after = new RecordingViewer();
    hub.join(after, OptionalLong.empty());
    hub.publish(charts("a", "{\"n\":1}"));

    assertThat(before.closedWith).isEqualTo(1001);
    assertThat(before.types()).containsExactly("hello", "snapshot");
    assertThat(after.closedWith).isEqualTo(1001);
    assertThat(after.received).isEmpty();
    assertThat(hub.viewers()).isZero();
  }

  @Test
  void everyViewer_getsEachDeltaOnce_withConsecutiveSeq() {
    RecordingViewer v1 = new RecordingViewer();
    RecordingViewer v2 = new RecordingViewer();
    hub.join(v1, OptionalLong.empty());
    hub.join(v2, OptionalLong.empty());
    long start = hub.seq();

    hub.publish(charts("a", "{\"n\":1}"));
    hub.publish(charts("a", "{\"n\":2}"));

    for (RecordingViewer v : new RecordingViewer[] {v1, v2}) {
      assertThat(v.types()).containsExactly("hello", "snapshot", "delta", "delta");
      assertThat(v.received.get(2).get("seq").asLong()).isEqualTo(start + 1);
      assertThat(v.received.get(3).get("seq").asLong()).isEqualTo(start + 2);
      assertThat(v.received.get(3).at("/charts/a/n").asInt()).isEqualTo(2);
      assertThat(v.received.get(3).get("charts").has("b")).isFalse();
    }
  }

  @Test
  void leavesFromTheMiddle_andRejoins_leaveEachRemainingViewerOneCopyOfEachDelta() {
    RecordingViewer[] all = new RecordingViewer[6];
    for (int i = 0; i < all.length; i++) {
      all[i] = new RecordingViewer();
      hub.join(all[i], OptionalLong.empty());
    }
    hub.leave(all[1]); // the last takes its place in the hub's list
    hub.leave(all[4]);
    hub.leave(all[4]); // idempotent
    hub.join(all[3], OptionalLong.empty()); // joining again replaces, never doubles
    long start = hub.seq();

    hub.publish(charts("a", "{\"n\":1}"));

    assertThat(hub.viewers()).isEqualTo(4);
    for (int i : new int[] {0, 2, 5}) {
      assertThat(all[i].types()).containsExactly("hello", "snapshot", "delta");
      assertThat(all[i].last().get("seq").asLong()).isEqualTo(start + 1);
    }
    assertThat(all[3].types()).containsExactly("hello", "snapshot", "hello", "snapshot", "delta");
    assertThat(all[1].types()).containsExactly("hello", "snapshot");
    assertThat(all[4].types()).containsExactly("hello", "snapshot");
  }

  @Test
  void emptyFrame_isNotPublished() {
    long before = hub.seq();
    hub.publish(Map.of());
    assertThat(hub.seq()).isEqualTo(before);
  }

  @Test
  void resumeAfterGap_getsOnlyTheMissingDeltas() {
    long start = hub.seq();
    hub.publish(charts("a", "{\"n\":1}"));
    hub.publish(charts("a", "{\"n\":2}"));
    hub.publish(charts("b", "{\"n\":3}"));

    RecordingViewer back = new RecordingViewer();
    hub.join(back, OptionalLong.of(start + 1));

    assertThat(back.types()).containsExactly("hello", "delta", "delta");
    assertThat(back.received.get(1).get("seq").asLong()).isEqualTo(start + 2);
    assertThat(back.received.get(2).get("seq").asLong()).isEqualTo(start + 3);
  }

  @Test
  void resumeAtCurrentSeq_getsNothingMore() {
    hub.publish(charts("a", "{\"n\":1}"));
    RecordingViewer back = new RecordingViewer();
    hub.join(back, OptionalLong.of(hub.seq()));
    assertThat(back.types()).containsExactly("hello");
  }

  @Test
  void resumeOlderThanTheRing_getsSnapshot() {
    long start = hub.seq();
    for (int i = 1; i <= 5; i++) {
      hub.publish(charts("a", "{\"n\":" + i + "}"));
    }
    RecordingViewer back = new RecordingViewer();
    hub.join(back, OptionalLong.of(start + 1)); // deltas start+2 .. start+5 needed, ring holds 3

    assertThat(back.types()).containsExactly("hello", "snapshot");
    assertThat(back.last().at("/charts/a/n").asInt()).isEqualTo(5);
  }

  @Test
  void resumeFromAnEarlierRun_getsSnapshot() {
    // An earlier run's seq is below this run's start; its deltas must never be replayed here.
    RecordingViewer back = new RecordingViewer();
    hub.publish(charts("a", "{\"n\":1}"));
    hub.join(back, OptionalLong.of(hub.seq() - 50));
    assertThat(back.types()).containsExactly("hello", "snapshot");

    RecordingViewer future = new RecordingViewer();
    hub.join(future, OptionalLong.of(hub.seq() + 50));
    assertThat(future.types()).containsExactly("hello", "snapshot");
  }

  @Test
  void seq_startsAboveAnyEarlierRunsSeq() {
    Hub later = new Hub(bytes("{}"), Map.of(), () -> now.get() + 1, Hub.Limits.defaults());
    for (int i = 0; i < 10; i++) {
      hub.publish(charts("a", "{\"n\":" + i + "}"));
    }
    // ten 100 ms ticks took a second of real time; the next run starts at least that much later
    Hub restarted = new Hub(bytes("{}"), Map.of(), () -> now.get() + 1_000, Hub.Limits.defaults());
    assertThat(restarted.seq()).isGreaterThan(hub.seq());
    assertThat(later.seq()).isGreaterThan(now.get());
  }

  @Test
  void stalledViewer_isSkipped_othersGetEveryDelta_thenItGetsAFreshSnapshot() {
    RecordingViewer stalled = new RecordingViewer();
    RecordingViewer healthy = new RecordingViewer();
    hub.join(stalled, OptionalLong.empty());
    hub.join(healthy, OptionalLong.empty());

    stalled.writable = false;
    for (int i = 1; i <= 4; i++) {
      hub.publish(charts("a", "{\"n\":" + i + "}"));
    }
    assertThat(healthy.types()).containsExactly("hello", "snapshot", "delta", "delta", "delta", "delta");
    assertThat(stalled.types()).containsExactly("hello", "snapshot");
    assertThat(hub.skippedForward()).isEqualTo(4);

    stalled.writable = true;
    hub.publish(charts("b", "{\"n\":9}"));

    assertThat(stalled.types()).containsExactly("hello", "snapshot", "snapshot");
    assertThat(stalled.last().at("/charts/a/n").asInt()).isEqualTo(4);
    assertThat(stalled.last().at("/charts/b/n").asInt()).isEqualTo(9);
    assertThat(stalled.last().get("seq").asLong()).isEqualTo(hub.seq());
    assertThat(healthy.last().get("type").asText()).isEqualTo("delta");
  }

  @Test
  void viewerStalledPastTheLimit_isClosedAndRemoved() {
    RecordingViewer stalled = new RecordingViewer();
    hub.join(stalled, OptionalLong.empty());
    stalled.writable = false;

    hub.publish(charts("a", "{\"n\":1}"));
    now.addAndGet(4_999);
    hub.publish(charts("a", "{\"n\":2}"));
    assertThat(stalled.closedWith).isNull();

    now.addAndGet(1);
    hub.publish(charts("a", "{\"n\":3}"));
    assertThat(stalled.closedWith).isEqualTo(1013);
    assertThat(hub.viewers()).isZero();
    assertThat(hub.dropped()).isEqualTo(1);
  }

  @Test
  void broadcast_reachesOnlyWritableViewers_andLeaveStopsDelivery() {
    RecordingViewer a = new RecordingViewer();
    RecordingViewer b = new RecordingViewer();
    hub.join(a, OptionalLong.empty());
    hub.join(b, OptionalLong.empty());
    b.writable = false;

    hub.broadcast(bytes("{\"type\":\"status\"}"));
    assertThat(a.types()).endsWith("status");
    assertThat(b.types()).doesNotContain("status");

    RecordingViewer late = new RecordingViewer();
    hub.join(late, OptionalLong.empty());
    assertThat(late.types()).containsExactly("hello", "snapshot", "status");
    hub.leave(late);

    hub.leave(a);
    hub.publish(charts("a", "{\"n\":1}"));
    assertThat(a.types()).doesNotContain("delta");
    assertThat(hub.viewers()).isEqualTo(1);
  }

  @Test
  void framesAreEncodedOnce_sameArrayForEveryViewer() {
    java.util.List<byte[]> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      hub.join(new Viewer() {
        @Override
        public boolean writable() {
          return true;
        }

        @Override
        public void send(byte[] message) {
          seen.add(message);
        }

        @Override
        public void close(int code, String reason) {}
      }, OptionalLong.empty());
    }
    seen.clear();
    hub.publish(charts("a", "{\"n\":1}"));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isSameAs(seen.get(1));
  }

  @Test
  void reset_sendsEveryViewerTheNewHelloAndASnapshot_withSeqStillRising() {
    RecordingViewer v = new RecordingViewer();
    hub.join(v, OptionalLong.empty());
    hub.publish(charts("a", "{\"n\":1}"));
    long before = hub.seq();

    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));

    assertThat(v.types()).containsExactly("hello", "snapshot", "delta", "hello", "snapshot");
    assertThat(v.received.get(3).get("v").asInt()).isEqualTo(2);
    JsonNode snapshot = v.last();
    assertThat(snapshot.get("seq").asLong()).isGreaterThan(before).isEqualTo(hub.seq());
    assertThat(snapshot.at("/charts/c/m").asInt()).isEqualTo(5);
    assertThat(snapshot.get("charts").has("a")).as("old charts are gone").isFalse();

    hub.publish(charts("c", "{\"m\":6}"));
    assertThat(v.last().get("type").asText()).isEqualTo("delta");
    assertThat(v.last().get("seq").asLong()).isEqualTo(snapshot.get("seq").asLong() + 1);
  }

  @Test
  void afterReset_joinersGetTheNewHello() {
    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));

    RecordingViewer late = new RecordingViewer();
    hub.join(late, OptionalLong.empty());

    assertThat(late.types()).containsExactly("hello", "snapshot");
    assertThat(late.received.get(0).get("v").asInt()).isEqualTo(2);
    assertThat(late.last().at("/charts/c/m").asInt()).isEqualTo(5);
  }

  @Test
  void resumeAcrossAReset_getsASnapshot_notTheOldLayoutsDeltas() {
    long start = hub.seq();
    hub.publish(charts("a", "{\"n\":1}"));
    hub.publish(charts("a", "{\"n\":2}"));
    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));

    RecordingViewer back = new RecordingViewer();
    hub.join(back, OptionalLong.of(start + 1)); // the ring held start+2 before the reset

    assertThat(back.types()).containsExactly("hello", "snapshot");
    assertThat(back.last().get("charts").has("a")).isFalse();
    assertThat(back.last().at("/charts/c/m").asInt()).isEqualTo(5);
  }

  @Test
  void viewerBehindDuringAReset_getsTheNewHelloThenASnapshot_whenItDrains() {
    RecordingViewer stalled = new RecordingViewer();
    hub.join(stalled, OptionalLong.empty());
    stalled.writable = false;

    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));
    hub.publish(charts("c", "{\"m\":6}"));
    assertThat(stalled.types()).containsExactly("hello", "snapshot");

    stalled.writable = true;
    hub.publish(charts("c", "{\"m\":7}"));

    assertThat(stalled.types()).containsExactly("hello", "snapshot", "hello", "snapshot");
    assertThat(stalled.received.get(2).get("v").asInt()).isEqualTo(2);
    assertThat(stalled.last().at("/charts/c/m").asInt()).isEqualTo(7);
    assertThat(stalled.last().get("seq").asLong()).isEqualTo(hub.seq());
  }

  @Test
  void configError_reachesEveryViewer_andJoinersUntilCleared() {
    RecordingViewer v = new RecordingViewer();
    hub.join(v, OptionalLong.empty());
    String message = "dash.yaml:12:5: unknown chart type \"pi\" <img src=x onerror=alert(1)>";

    hub.configError(message);

    assertThat(v.types()).containsExactly("hello", "snapshot", "config-error");
    assertThat(v.last().get("message").asText()).isEqualTo(message);
    assertThat(hub.configErrorMessage()).isEqualTo(message);

    RecordingViewer late = new RecordingViewer();
    hub.join(late, OptionalLong.empty());
    assertThat(late.types()).containsExactly("hello", "snapshot", "config-error");
    assertThat(late.last().get("message").asText()).isEqualTo(message);

    hub.configError(null);
    assertThat(v.last().get("type").asText()).isEqualTo("config-error");
    assertThat(v.last().get("message").isNull()).isTrue();
    assertThat(hub.configErrorMessage()).isNull();
    RecordingViewer later = new RecordingViewer();
    hub.join(later, OptionalLong.empty());
    assertThat(later.types()).containsExactly("hello", "snapshot");
  }

  @Test
  void reset_clearsTheConfigError() {
    hub.configError("dash.yaml:3:1: bad");
    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));

    RecordingViewer late = new RecordingViewer();
    hub.join(late, OptionalLong.empty());

    assertThat(late.types()).containsExactly("hello", "snapshot");
    assertThat(hub.configErrorMessage()).isNull();
  }

  @Test
  void configErrorWhileBehind_isDeliveredAfterTheCatchUpSnapshot() {
    RecordingViewer stalled = new RecordingViewer();
    hub.join(stalled, OptionalLong.empty());
    stalled.writable = false;

    hub.configError("dash.yaml:3:1: bad");
    assertThat(stalled.types()).containsExactly("hello", "snapshot");

    stalled.writable = true;
    hub.publish(charts("a", "{\"n\":1}"));

    assertThat(stalled.types()).containsExactly("hello", "snapshot", "snapshot", "config-error");
    assertThat(stalled.last().get("message").asText()).isEqualTo("dash.yaml:3:1: bad");
  }

  @Test
  void configErrorThenResetWhileBehind_catchesUpWithTheNewHelloAndNoStaleError() {
    RecordingViewer stalled = new RecordingViewer();
    hub.join(stalled, OptionalLong.empty());
    stalled.writable = false;

    hub.configError("dash.yaml:3:1: bad");
    hub.reset(bytes("{\"type\":\"hello\",\"v\":2}"), charts("c", "{\"m\":5}"));
    stalled.writable = true;
    hub.resume(stalled, 0);

    assertThat(stalled.types()).containsExactly("hello", "snapshot", "hello", "snapshot");
  }

  @Test
  void clusterTicks_areNumberedByTheTick_andSentEvenWhenEmpty_soSeqStaysConsecutive() {
    RecordingViewer viewer = new RecordingViewer();
    hub.jump(500, charts("a", "{\"n\":3}", "b", "{\"n\":0}"));
    hub.join(viewer, OptionalLong.empty());

    hub.publishTick(501, charts("a", "{\"n\":4}"), FrameSink.NO_EVENT);
    hub.publishTick(502, Map.of(), FrameSink.NO_EVENT);
    hub.publishTick(502, charts("a", "{\"n\":99}"), FrameSink.NO_EVENT); // a repeat: ignored

    assertThat(viewer.types()).containsExactly("hello", "snapshot", "delta", "delta");
    assertThat(viewer.received.get(1).get("seq").asLong()).isEqualTo(500);
    assertThat(viewer.received.get(2).get("seq").asLong()).isEqualTo(501);
    assertThat(viewer.received.get(3).get("seq").asLong()).isEqualTo(502);
    assertThat(viewer.received.get(3).get("charts").size()).isZero();
    assertThat(hub.charts().get("a")).isEqualTo(bytes("{\"n\":4}"));
  }

  @Test
  void clusterTickAfterAGap_sendsASnapshot_andAResumeFromBeforeItGetsTheSnapshotToo() {
    RecordingViewer viewer = new RecordingViewer();
    hub.jump(500, charts("a", "{\"n\":3}", "b", "{\"n\":0}"));
    hub.join(viewer, OptionalLong.empty());

    hub.publishTick(9_000, charts("a", "{\"n\":5}"), FrameSink.NO_EVENT); // the counter restarted
    RecordingViewer resumed = new RecordingViewer();
    hub.join(resumed, OptionalLong.of(500));

    assertThat(viewer.types()).containsExactly("hello", "snapshot", "snapshot");
    assertThat(viewer.last().get("seq").asLong()).isEqualTo(9_000);
    assertThat(viewer.last().at("/charts/a/n").asInt()).isEqualTo(5);
    assertThat(viewer.last().at("/charts/b/n").asInt()).isZero();
    assertThat(resumed.types()).containsExactly("hello", "snapshot");
  }

  @Test
  void clusterResume_fromThisNodesRing_sendsTheMissedTicks_andFromANodeAheadSendsNothingYet() {
    hub.jump(500, charts("a", "{\"n\":3}"));
    hub.publishTick(501, charts("a", "{\"n\":4}"), FrameSink.NO_EVENT);
    hub.publishTick(502, charts("a", "{\"n\":5}"), FrameSink.NO_EVENT);

    RecordingViewer moved = new RecordingViewer(); // saw 501 on another node
    hub.join(moved, OptionalLong.of(501));
    RecordingViewer ahead = new RecordingViewer(); // saw 504 on a node further along
    hub.join(ahead, OptionalLong.of(504));
    hub.publishTick(503, Map.of(), FrameSink.NO_EVENT);

    assertThat(moved.types()).containsExactly("hello", "delta", "delta");
    assertThat(moved.received.get(1).get("seq").asLong()).isEqualTo(502);
    assertThat(moved.received.get(2).get("seq").asLong()).isEqualTo(503);
    // The page skips 503 as seen and applies 505 when it comes: no snapshot, no step back.
    assertThat(ahead.types()).containsExactly("hello", "delta");
    assertThat(ahead.last().get("seq").asLong()).isEqualTo(503);
  }

  private static Map<String, byte[]> charts(String... idsAndStates) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < idsAndStates.length; i += 2) {
      out.put(idsAndStates[i], bytes(idsAndStates[i + 1]));
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
