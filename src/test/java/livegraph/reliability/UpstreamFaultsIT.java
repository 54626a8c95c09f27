package livegraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import livegraph.Livegraph;
import livegraph.emulator.Fault;
import livegraph.emulator.FaultFrames;
import livegraph.emulator.Flood;
import livegraph.emulator.StackExchangeEmulator;
import livegraph.pipeline.Clock;
import livegraph.source.SkipReason;
import livegraph.source.SourceStatus;
import livegraph.testing.Poll;
import livegraph.testing.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every upstream fault of {@link Fault}, over the wire: the emulator plays it to a livegraph
 * server reading it as its feed, and a WebSocket viewer of the built-in dashboard checks what a
 * page would show. Each case checks the status shown, the counters (events, skips by reason,
 * reconnects), reconnect timing against the backoff and watchdog bounds, and that the charts
 * afterwards hold every good frame once and no bad one (the oracle: good frames tallied by
 * community as they are sent). Figures for RELIABILITY.md are printed as "UPSTREAM-FIGURE".
 */
class UpstreamFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** The watchdog limit of most cases: longer than any pause between their frames. */
  private static final Duration SILENCE = Duration.ofSeconds(5);
  /** The watchdog limit of the dead-feed cases: short, so a dead feed is noticed in CI time. */
  private static final Duration SHORT_SILENCE = Duration.ofSeconds(3);
  private static final Duration TICK = Duration.ofMillis(100);
  /** The first reconnect delay's range with the production backoff (1 s base, equal jitter). */
  private static final long FIRST_DELAY_MIN_MS = 500;
  private static final long FIRST_DELAY_MAX_MS = 1000;
  /** Scheduling allowance on a loaded two-core machine, for upper bounds only. */
  private static final long SLACK_MS = 3000;
  /** The flood rate issue 6 asks the source to survive, in frames per second. */
  private static final String FLOOD_RATE_PROPERTY = "livegraph.floodFramesPerSecond";
  private static final double FLOOD_RATE = Double.parseDouble(
      System.getProperty(FLOOD_RATE_PROPERTY, "100000"));
  /** How long the flood rate must last to count as reached. */
  private static final Duration FLOOD_WINDOW = Duration.ofSeconds(1);
  private static final String CHART = "communities";
  private static final String ALL = "all";

  private StackExchangeEmulator emulator;
  private Livegraph live;
  private UpstreamViewer viewer;
  private final Map<String, Double> oracle = new HashMap<>(); // community -> good frames sent
  private long goodSent;
  private long nextId = 1;

  @AfterEach
  void stop() throws Exception {
    Resources.closeAll(viewer, live, emulator);
  }

  private void start(Duration silence, int intake) throws Exception {
    emulator = StackExchangeEmulator.builder()
        .heartbeatInterval(Duration.ofMillis(200))
        // Long, so a source busy with a flood is never dropped by the emulator itself.
        .heartbeatTimeout(Duration.ofSeconds(10))
        .start(0);
    live = Livegraph.create(new Livegraph.Config("127.0.0.1", emulator.uri().toString(), 4, 1,
        null, 1, silence, TICK, intake, Set.of(), Clock.system())).start(0);
    // A first good frame as soon as the source subscribed, so its watchdog (which counts from
    // the last data) does not replace a connection the test has not yet used.
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1, "the source subscribed");
    sendGood("warmup", 1);
    viewer = UpstreamViewer.connect(live.port());
    Poll.until(WAIT, () -> emulator.subscribedClients() == 1 && viewer.hasSnapshot()
        && viewer.status() != null && viewer.status().state().equals("live"), "a live source");
  }

  private void start() throws Exception {
    start(SILENCE, 10_000);
  }

  /** Sends {@code n} good questions on {@code site} and adds them to the oracle. */
  private void sendGood(String site, int n) {
    for (int i = 0; i < n; i++) {
      String frame = FaultFrames.question(site, nextId++);
      // None is sent (0) while the source is between connections or the emulator's bounded
      // outbound buffer is still above its water mark (after an oversized frame): send again.
      Poll.until(WAIT, () -> emulator.broadcast(frame) == 1, "a good frame sent");
      oracle.merge(site, 1.0, Double::sum);
      goodSent++;
    }
  }

  private SourceStatus source() {
    return live.sourceStatus();
  }

  /** Waits until the source counted every good frame sent, then until the viewer's chart shows them. */
  private void awaitGoodCounted() {
    Poll.until(WAIT, () -> source().events() == goodSent, "all " + goodSent + " good frames counted");
    Poll.until(WAIT, () -> viewer.keyed(CHART, ALL).equals(oracle),
        "the chart equal to the oracle " + oracle);
    Poll.until(WAIT, () -> viewer.status() != null && viewer.status().events() == goodSent,
        "the viewer shown " + goodSent + " events");
    assertThat(viewer.broken()).isNull();
  }

  /** Waits until the emulator got {@code n} subscribes (one per connection); returns when, in ms. */
  private long awaitSubscribes(long n) {
    Poll.until(WAIT, () -> emulator.subscribeMessagesReceived() >= n, n + " connections");
    return System.nanoTime() / 1_000_000;
  }

  /**
   * Ends the faults just as a new connection subscribed, so good frames sent now reach it well
   * within its watchdog limit, not in the last moment of a connection about to be replaced.
   */
  private void clearOnAFreshConnection() {
    awaitSubscribes(emulator.subscribeMessagesReceived() + 1);
    emulator.clearFaults();
  }

  private static long nowMs() {
    return System.nanoTime() / 1_000_000;
  }

  /** Reconnects match connections: one subscribe per connection, the first not a reconnect. */
  private void assertReconnectsCounted() {
    Poll.until(WAIT, () -> source().state() == SourceStatus.State.LIVE, "live");
    assertThat(source().reconnects()).isEqualTo(emulator.subscribeMessagesReceived() - 1);
  }

  private static void figure(String name, Object... values) {
    StringBuilder line = new StringBuilder("UPSTREAM-FIGURE " + name);
    for (Object v : values) {
      line.append(' ').append(v);
    }
    System.out.println(line);
  }

  @Test
  void close_showsReconnecting_reconnectsAfterTheBackoff_chartsKeepEveryGoodFrameOnce()
      throws Exception {
    start();
    sendGood("before", 3);
    awaitGoodCounted();

    long connections = emulator.subscribeMessagesReceived();
    long closedAt = nowMs();
    emulator.inject(Fault.CLOSE);
    long gap = awaitSubscribes(connections + 1) - closedAt;
    // The upstream keeps closing (a restart in progress) until the viewer was shown it.
    Poll.until(WAIT, () -> {
      if (emulator.connectedClients() > 0) {
        emulator.inject(Fault.CLOSE);
      }
      return viewer.saw("reconnecting");
    }, "the viewer shown 'reconnecting'");
    assertThat(viewer.statuses()).anySatisfy(s -> {
      assertThat(s.state()).isEqualTo("reconnecting");
      assertThat(s.detail()).contains("closed by server (1001)");
    });
    assertThat(gap).as("first reconnect, ms after the close")
        .isBetween(FIRST_DELAY_MIN_MS, FIRST_DELAY_MAX_MS + SLACK_MS);

    Poll.until(WAIT, () -> viewer.status().state().equals("live"), "the viewer shown 'live' again");
    sendGood("after", 3);
    awaitGoodCounted();
    assertReconnectsCounted();
    assertThat(source().skippedTotal()).isZero();
    figure("close", "firstReconnectMs=" + gap, "reconnects=" + source().reconnects());
  }

  @Test
  void reset_showsReconnecting_reconnectsAfterTheBackoff_chartsKeepEveryGoodFrameOnce()
      throws Exception {
    start();
    sendGood("before", 3);
    awaitGoodCounted();

    long connections = emulator.subscribeMessagesReceived();
    long resetAt = nowMs();
    assertThat(emulator.reset()).isEqualTo(1);
    long gap = awaitSubscribes(connections + 1) - resetAt;
    Poll.until(WAIT, () -> {
      if (emulator.connectedClients() > 0) {
        emulator.reset();
      }
      return viewer.saw("reconnecting");
    }, "the viewer shown 'reconnecting'");
    assertThat(gap).as("first reconnect, ms after the reset")
        .isBetween(FIRST_DELAY_MIN_MS, FIRST_DELAY_MAX_MS + SLACK_MS);
    // A reset has no close frame: the status says the connection was reset, not closed.
    assertThat(viewer.statuses()).filteredOn(s -> s.state().equals("reconnecting"))
        .allSatisfy(s -> assertThat(s.detail()).contains("connection reset by peer")
            .doesNotContain("closed by server"));

    Poll.until(WAIT, () -> viewer.status().state().equals("live"), "the viewer shown 'live' again");
    sendGood("after", 3);
    awaitGoodCounted();
    assertReconnectsCounted();
    figure("reset", "firstReconnectMs=" + gap, "reconnects=" + source().reconnects());
  }

  /** A fault that stops the data, and what the first reconnect after it showed. */
  private record Silenced(long gapMs, long heartbeatsBefore) {}

  /**
   * Starts with the short watchdog, sends two good frames, injects {@code fault}, and waits for
   * the watchdog's reconnect: shown as "reconnecting, no data for 3 s", within its bounds of the
   * last data sent. Returns the gap and the heartbeat count when the fault began.
   */
  private Silenced silencedUntilTheWatchdogReconnects(Fault fault) throws Exception {
    start(SHORT_SILENCE, 10_000);
    sendGood("before", 2);
    long connections = emulator.subscribeMessagesReceived();
    long lastDataSent = nowMs();
    emulator.inject(fault);
    awaitGoodCounted();
    long heartbeats = source().heartbeats();

    long gap = awaitSubscribes(connections + 1) - lastDataSent;
    Poll.until(WAIT, () -> viewer.saw("reconnecting"), "the viewer shown 'reconnecting'");
    assertThat(viewer.statuses()).filteredOn(s -> s.state().equals("reconnecting"))
        .allSatisfy(s -> assertThat(s.detail()).contains("no data for 3 s"));
    assertThat(gap).as("first reconnect, ms after the last data")
        .isBetween(SHORT_SILENCE.toMillis() + FIRST_DELAY_MIN_MS,
            SHORT_SILENCE.toMillis() + FIRST_DELAY_MAX_MS + SLACK_MS);
    return new Silenced(gap, heartbeats);
  }

  @Test
  void hang_noFramesNoHeartbeats_theWatchdogReconnectsAfterItsLimit() throws Exception {
    Silenced silenced = silencedUntilTheWatchdogReconnects(Fault.HANG);
    long gap = silenced.gapMs();
    long heartbeats = silenced.heartbeatsBefore();
    assertThat(source().heartbeats()).as("no heartbeats while hung").isEqualTo(heartbeats);

    clearOnAFreshConnection();
    sendGood("after", 2);
    awaitGoodCounted();
    assertReconnectsCounted();
    figure("hang", "firstReconnectMs=" + gap, "silenceMs=" + SHORT_SILENCE.toMillis(),
        "reconnects=" + source().reconnects());
  }

  @Test
  void heartbeatsOnly_aDeadFeed_theWatchdogReconnectsThoughHeartbeatsFlow() throws Exception {
    Silenced silenced = silencedUntilTheWatchdogReconnects(Fault.HEARTBEATS_ONLY);
    long gap = silenced.gapMs();
    long heartbeats = silenced.heartbeatsBefore();
    assertThat(source().heartbeats()).as("heartbeats kept coming").isGreaterThan(heartbeats);

    clearOnAFreshConnection();
    sendGood("after", 2);
    awaitGoodCounted();
    assertReconnectsCounted();
    figure("heartbeats-only", "firstReconnectMs=" + gap, "silenceMs=" + SHORT_SILENCE.toMillis(),
        "heartbeatsDuringFault=" + (source().heartbeats() - heartbeats),
        "reconnects=" + source().reconnects());
  }

  @Test
  void heartbeatLoss_dataStillFlows_staysLiveWithoutReconnecting() throws Exception {
    start(SHORT_SILENCE, 10_000);
    emulator.inject(Fault.HEARTBEAT_LOSS);
    long heartbeatsAtPause = source().heartbeats();
    int shownBefore = viewer.statuses().size();
    // One good frame every 250 ms for twice the watchdog's limit: a feed without heartbeats.
    int frames = (int) (2 * SHORT_SILENCE.toMillis() / 250);
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger paced = new AtomicInteger();
    try {
      pacer.scheduleAtFixedRate(() -> {
        if (paced.get() < frames) {
          paced.incrementAndGet();
          sendGood("paced", 1);
        }
      }, 0, 250, TimeUnit.MILLISECONDS);
      Poll.until(WAIT, () -> paced.get() == frames, frames + " paced frames sent");
    } finally {
      pacer.shutdownNow();
      pacer.awaitTermination(5, TimeUnit.SECONDS);
    }
    awaitGoodCounted();
    assertThat(source().reconnects()).isZero();
    assertThat(emulator.subscribeMessagesReceived()).isEqualTo(1);
    // At most the heartbeat already in flight when they stopped.
    assertThat(source().heartbeats()).isLessThanOrEqualTo(heartbeatsAtPause + 1);
    assertThat(viewer.statuses().subList(shownBefore, viewer.statuses().size()))
        .allSatisfy(s -> assertThat(s.state()).isEqualTo("live"));
    figure("heartbeat-loss", "frames=" + frames, "reconnects=0");
  }

  @Test
  void slowTrickle_aFrameDribbledOut_countsOnceWithoutReconnecting() throws Exception {
    start(Duration.ofSeconds(4), 10_000);
    sendGood("before", 1);
    awaitGoodCounted();
    String frame = FaultFrames.question("trickle", nextId++);
    int chunk = 8;
    long startedAt = nowMs();
    assertThat(emulator.trickle(frame, chunk, Duration.ofMillis(20))).isEqualTo(1);
    oracle.merge("trickle", 1.0, Double::sum);
    goodSent++;
    awaitGoodCounted();
    long took = nowMs() - startedAt;
    int chunks = (frame.length() + 2 + 2 + chunk - 1) / chunk; // header: 4 bytes for 126..65535
    assertThat(took).as("the frame arrived only once all its chunks had").isGreaterThanOrEqualTo(
        (chunks - 1) * 20L);
    assertThat(source().skippedTotal()).isZero();
    assertThat(source().reconnects()).isZero();
    figure("slow-trickle", "bytes=" + frame.length(), "chunk=" + chunk, "tookMs=" + took);
  }

  @Test
  void slowTrickle_slowerThanTheWatchdog_isCutAndReplaced_thePartialFrameNeverCounts()
      throws Exception {
    start(SHORT_SILENCE, 10_000);
    sendGood("before", 1);
    awaitGoodCounted();
    long connections = emulator.subscribeMessagesReceived();
    // About 85 chunks, one per 100 ms: longer than the 3 s watchdog.
    assertThat(emulator.trickle(FaultFrames.question("trickle", nextId++), 4,
        Duration.ofMillis(100))).isEqualTo(1);
    awaitSubscribes(connections + 1);
    Poll.until(WAIT, () -> viewer.saw("reconnecting"), "the viewer shown 'reconnecting'");
    sendGood("after", 1);
    awaitGoodCounted();
    assertThat(source().skippedTotal()).isZero();
    assertReconnectsCounted();
    figure("slow-trickle-cut", "reconnects=" + source().reconnects());
  }

  @Test
  void flood_intakeBoundsMemoryAndCountsDrops_viewersStillGetAtMostTenUpdatesASecond()
      throws Exception {
    // The smallest intake: the pipeline takes at most one event per drain (it naps 1 ms between
    // drains while events come), so any flood faster than about 1,000 frames/s overflows it
    // whatever the machine's speed; the production bound of 10,000 overflows alike, only later.
    int intake = 1;
    start(SILENCE, intake);
    // One at a time: an intake of one refuses a second frame that arrives within the pipeline's
    // 1 ms nap, and these must all count.
    for (int i = 0; i < 2; i++) {
      sendGood("before", 1);
      awaitGoodCounted();
    }
    long heapBefore = heapUsed();
    int shownBefore = viewer.statuses().size();

    // Floods of 50,000 frames back to back until the viewer has been shown three status
    // messages during them (a quick machine sends 50,000 in well under the 1 s between two) and
    // the last second or more of them went at the rate issue 6 asks, bounded at 100 floods
    // (5,000,000 frames: at 900,000 frames/s, 40 floods once ended within two status messages)
    // and 60 s. The rate is not timed against a limit: the floods go on until a window reached
    // it, and only a machine that never did within those bounds fails.
    long chunk = 50_000;
    List<long[]> chunks = new ArrayList<>(); // {began, ended} in System.nanoTime, per flood
    long perClient = 0;
    long floodNanos = 0;
    double sustained = 0; // frames per second, best window of at least FLOOD_WINDOW so far
    long floodDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    do {
      long began = System.nanoTime();
      Flood flood = emulator.flood(FaultFrames.question("flood", 1), chunk);
      assertThat(flood.await(Duration.ofSeconds(90))).as("flood finished").isTrue();
      assertThat(flood.framesSent()).isEqualTo(chunk);
      long ended = System.nanoTime();
      floodNanos += ended - began;
      perClient += chunk;
      chunks.add(new long[] {began, ended});
      sustained = Math.max(sustained, latestWindowRate(chunks, chunk));
    } while ((viewer.statuses().size() - shownBefore < 3 || sustained < FLOOD_RATE)
        && perClient < 100 * chunk && System.nanoTime() < floodDeadline);
    long sent = perClient;
    double rate = sent * 1e9 / floodNanos;
    long heapAfter = heapUsed();

    // Every frame either entered the bounded intake or was refused and counted: none vanish.
    Poll.until(WAIT, () -> source().events() + source().dropped() == sent + goodSent,
        "every flood frame taken or counted as dropped");
    SourceStatus s = source();
    assertThat(s.dropped()).as("the intake bound engaged").isPositive();
    assertThat(s.skippedTotal()).isZero();
    // Reconnects are not asserted: on a starved machine the source reads the emulator's
    // heartbeats behind a socket full of flood frames and may answer too late to be kept.
    long floodTaken = s.events() - goodSent;
    oracle.merge("flood", (double) floodTaken, Double::sum);
    goodSent = s.events();
    awaitGoodCounted();
    Poll.until(WAIT, () -> viewer.status().dropped() == s.dropped(), "the viewer shown the drops");

    // Deltas between two status messages never outnumber the ticks between them.
    List<UpstreamViewer.Shown> shown = viewer.statuses();
    List<UpstreamViewer.Shown> during = shown.subList(shownBefore, shown.size());
    assertThat(during.size()).as("status messages during the flood").isGreaterThanOrEqualTo(2);
    long deltas = 0;
    for (int i = 1; i < during.size(); i++) {
      deltas += during.get(i).deltasBefore();
    }
    long spanMs = during.get(during.size() - 1).time() - during.get(0).time();
    assertThat(deltas).as("deltas over " + spanMs + " ms").isLessThanOrEqualTo(
        spanMs / TICK.toMillis() + 1);
    int worst = 0;
    for (int i = 1; i < during.size(); i++) {
      long ms = during.get(i).time() - during.get(i - 1).time();
      worst = Math.max(worst, (int) Math.round(during.get(i).deltasBefore() * 1000.0 / ms));
    }
    figure("flood", "framesSent=" + sent, "reconnects=" + s.reconnects(), "framesPerSecond=" + Math.round(rate),
        "sustainedPerSecond=" + Math.round(sustained), "windowMs=" + FLOOD_WINDOW.toMillis(),
        "taken=" + floodTaken, "dropped=" + s.dropped(), "intake=" + intake,
        "deltas=" + deltas, "spanMs=" + spanMs,
        "deltasPerSecond=" + Math.round(deltas * 1000.0 / Math.max(1, spanMs)),
        "worstSecond=" + worst,
        "heapBeforeMiB=" + heapBefore / (1 << 20), "heapAfterMiB=" + heapAfter / (1 << 20));
    // After the figure, so a machine too slow for the rate still reports what it reached.
    assertThat(sustained)
        .as("frames per second over the best window of at least %s ms, in %d floods of %d"
            + " (this machine could not flood at the rate asked; -D%s lowers it)",
            FLOOD_WINDOW.toMillis(), chunks.size(), chunk, FLOOD_RATE_PROPERTY)
        .isGreaterThanOrEqualTo(FLOOD_RATE);
  }

  /**
   * Frames per second over the latest floods that together span at least {@link #FLOOD_WINDOW},
   * counted from the first one's start to the last one's end (gaps between floods included);
   * 0 while they span less.
   */
  private static double latestWindowRate(List<long[]> chunks, long framesEach) {
    long end = chunks.get(chunks.size() - 1)[1];
    for (int i = chunks.size() - 1; i >= 0; i--) {
      long span = end - chunks.get(i)[0];
      if (span >= FLOOD_WINDOW.toNanos()) {
        return (chunks.size() - i) * framesEach * 1e9 / span;
      }
    }
    return 0;
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class,
      names = {"MALFORMED_JSON", "WRONG_TYPES", "OVERSIZED", "BINARY", "DEEP_NESTING"})
  void badFrames_areSkippedByReason_exactlyOnceEach_goodFramesAroundThemCountOnce(Fault fault)
      throws Exception {
    start();
    sendGood("before", 3);
    emulator.inject(fault);
    sendGood("after", 3);
    SkipReason reason = switch (fault) {
      case MALFORMED_JSON -> SkipReason.NOT_JSON;
      case WRONG_TYPES -> SkipReason.WRONG_TYPE;
      case OVERSIZED -> SkipReason.TOO_LARGE;
      case BINARY -> SkipReason.BINARY;
      case DEEP_NESTING -> SkipReason.TOO_DEEP;
      default -> throw new AssertionError(fault);
    };
    long bad = switch (fault) {
      case MALFORMED_JSON -> FaultFrames.malformedJson().size();
      case WRONG_TYPES -> FaultFrames.wrongTypes().size();
      case DEEP_NESTING -> FaultFrames.deepNesting().size();
      default -> 1;
    };
    awaitGoodCounted();
    Poll.until(WAIT, () -> source().skippedTotal() == bad, bad + " skips");
    Poll.until(WAIT, () -> viewer.status().skipped() == bad, "the viewer shown " + bad + " skips");
    assertThat(source().skipped().get(reason)).isEqualTo(bad);
    assertThat(source().reconnects()).isZero();
    assertThat(viewer.status().state()).isEqualTo("live");
    figure(fault.flag(), "bad=" + bad, "reason=" + reason, "good=" + goodSent,
        "applied=" + viewer.keyed(CHART, ALL).values().stream().mapToDouble(d -> d).sum());
  }

  @Test
  void wrongTypesTheDecoderTakes_eachCountsOnceAsAnEvent() throws Exception {
    start();
    for (String frame : FaultFrames.toleratedTypes("tolerated", 1000)) {
      assertThat(emulator.broadcast(frame)).isEqualTo(1);
    }
    oracle.put("tolerated", 2.0);
    goodSent += 2;
    awaitGoodCounted();
    assertThat(source().skippedTotal()).isZero();
  }

  @Test
  void invalidUtf8_failsTheConnection1007_countedOnce_reconnectsAndCountsLaterFrames()
      throws Exception {
    start();
    sendGood("before", 2);
    awaitGoodCounted();
    long connections = emulator.subscribeMessagesReceived();
    // Sent until the emulator reports it went out: it skips a client whose socket is momentarily
    // unwritable (a CI run once saw the source wait, connected, with no frame and no skip).
    Poll.until(WAIT, () -> emulator.broadcastBytes(FaultFrames.invalidUtf8(), false) == 1,
        "the invalid frame sent");
    Poll.until(WAIT, () -> source().skipped().get(SkipReason.INVALID_UTF8) == 1, "one skip");
    awaitSubscribes(connections + 1);
    Poll.until(WAIT, () -> source().state() == SourceStatus.State.LIVE, "live again");
    sendGood("after", 2);
    awaitGoodCounted();
    assertThat(source().skippedTotal()).isEqualTo(1);
    Poll.until(WAIT, () -> viewer.status().skipped() == 1, "the viewer shown one skip");
    assertReconnectsCounted();
    figure("invalid-utf8", "bad=1", "reconnects=" + source().reconnects());
  }

  @Test
  void frameOverTheWireLimit_closesWith1009_countedOnce_reconnects() throws Exception {
    start();
    sendGood("before", 2);
    awaitGoodCounted();
    long connections = emulator.subscribeMessagesReceived();
    assertThat(emulator.broadcast(FaultFrames.oversized(9 << 20))).isEqualTo(1);
    Poll.until(WAIT, () -> source().skipped().get(SkipReason.TOO_LARGE) == 1, "one skip");
    awaitSubscribes(connections + 1);
    Poll.until(WAIT, () -> source().state() == SourceStatus.State.LIVE, "live again");
    sendGood("after", 2);
    awaitGoodCounted();
    assertThat(source().skippedTotal()).isEqualTo(1);
    assertReconnectsCounted();
    figure("oversized-wire", "bytes=" + (9 << 20), "reconnects=" + source().reconnects());
  }
}
