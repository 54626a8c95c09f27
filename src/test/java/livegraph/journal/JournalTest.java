package livegraph.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(T0);
  private final Clock clock = now::get;
  // Small bounds and quick timers so a test runs in milliseconds; time itself is the clock's.
  private JournalSettings settings = new JournalSettings(4L << 20, 1L << 20,
      Duration.ofMinutes(1), Duration.ofMillis(5), 1000, ChannelOpener.files());

  private static Event event(long time, int n) {
    return new Event(time, Map.of("n", (long) n, "level", n % 3 == 0 ? "error" : "info",
        "tags", List.of("t" + (n % 5))));
  }

  /** One run of a process: opens, replays into {@code replayed}, starts. */
  private Journal open(List<Event> replayed) throws IOException {
    Journal j = Journal.open(dir, settings, HOUR, clock);
    j.replay(replayed::addAll);
    j.start(r -> new Thread(r, "test-journal"));
    return j;
  }

  /** Appends in batches of three, as a pipeline hands over what it took; written later. */
  private static void appendAll(Journal j, List<Event> events, long nowMillis) {
    for (int i = 0; i < events.size(); i += 3) {
      j.append(events.subList(i, Math.min(events.size(), i + 3)), nowMillis);
    }
  }

  private List<Event> written(int from, int to) {
    List<Event> events = new ArrayList<>();
    for (int n = from; n < to; n++) {
      events.add(event(T0 + n, n));
    }
    return events;
  }

  private List<Event> replay() throws IOException {
    List<Event> back = new ArrayList<>();
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      j.replay(back::addAll);
    }
    return back;
  }

  private Path onlySegment() {
    List<Path> files = Journal.segmentFiles(dir);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  @Test
  void acknowledgedEvents_areReplayedInOrder_byTheNextRun_withTheChartsStart() throws Exception {
    List<Event> events = written(0, 100);
    try (Journal j = open(new ArrayList<>())) {
      assertThat(j.chartsStartMillis()).isEqualTo(T0);
      appendAll(j, events, T0 + 1000);
      Poll.until(WAIT, () -> j.acknowledged() == 100, "100 acknowledged");
    }
    now.set(T0 + 5000);

    List<Event> back = new ArrayList<>();
    try (Journal j = open(back)) {
      assertThat(back).isEqualTo(events);
      assertThat(j.replayed().events()).isEqualTo(100);
      assertThat(j.chartsStartMillis()).as("the first run's start, not now").isEqualTo(T0);
    }
  }

  @Test
  void eventsTheReplayFeedsBack_beforeStart_areNotJournaledTwice() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 10), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 10, "10 acknowledged");
    }
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      // The pipeline's tap sees the replayed events and hands them back, as DashboardRuntime does.
      j.replay(chunk -> j.append(chunk, T0 + 200));
      j.start(r -> new Thread(r, "test-journal"));
      appendAll(j, written(10, 12), T0 + 200);
      Poll.until(WAIT, () -> j.acknowledged() == 2, "2 acknowledged");
    }
    assertThat(replay()).isEqualTo(written(0, 12));
  }

  @Test
  void eventsStampedAfterNow_areJournaledAtNow_asThePipelineCountsThem() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      j.append(List.of(event(T0 + 9_999, 1)), T0 + 50);
      Poll.until(WAIT, () -> j.acknowledged() == 1, "acknowledged");
    }
    assertThat(replay()).containsExactly(new Event(T0 + 50, event(0, 1).fields()));
  }

  @Test
  void aTornLastRecord_cutAtEveryByte_isDropped_andNothingElse() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 5), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 5, "5 acknowledged");
    }
    Path segment = onlySegment();
    byte[] whole = Files.readAllBytes(segment);
    int lastStart = recordStarts(whole).get(4);

    for (int cut = lastStart + 1; cut < whole.length; cut++) {
      Files.write(segment, Arrays.copyOf(whole, cut));
      List<Event> back = new ArrayList<>();
      Journal.Replayed r;
      try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
        r = j.replay(back::addAll);
      }
      assertThat(back).as("cut at byte %d", cut).isEqualTo(written(0, 4));
      assertThat(r.torn()).isEqualTo(1);
      assertThat(r.corrupt()).isZero();
      assertThat(Files.size(segment)).as("truncated to the last whole record").isEqualTo(lastStart);
    }
    // A cut exactly between records is no tear.
    Files.write(segment, Arrays.copyOf(whole, lastStart));
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      assertThat(j.replay(e -> { }).torn()).isZero();
    }
  }

  @Test
  void aFlippedLastByte_ofTheLastRecord_isATornWrite() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 3), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 3, "3 acknowledged");
    }
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(segment, bytes);

    assertThat(replay()).isEqualTo(written(0, 2));
  }

  @Test
  void aBitFlipMidSegment_isReportedAtItsOffset_andEndsOnlyThatSegmentsReplay() throws Exception {
    // Two runs: two segments of 5 events each.
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 5), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 5, "5 acknowledged");
    }
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(5, 10), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 5, "5 acknowledged");
    }
    List<Path> files = Journal.segmentFiles(dir);
    assertThat(files).hasSize(2);
    Path first = files.get(0);
    byte[] bytes = Files.readAllBytes(first);
    int third = recordStarts(bytes).get(2);
    bytes[third + 8 + 3] ^= 0x10; // inside the third record's payload
    Files.write(first, bytes);

    SegmentScan scan = SegmentScan.read(first, 1, bytes, false, e -> { });
    assertThat(scan.problem()).isEqualTo(SegmentScan.Problem.CORRUPT);
    assertThat(scan.detail()).isEqualTo("checksum mismatch in a record of "
        + ByteBuffer.wrap(bytes).getInt(third) + " bytes at offset " + third);

    List<Event> back = new ArrayList<>();
    Journal.Replayed r;
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      r = j.replay(back::addAll);
    }
    List<Event> expected = new ArrayList<>(written(0, 2));
    expected.addAll(written(5, 10));
    assertThat(back).isEqualTo(expected);
    assertThat(r.corrupt()).isEqualTo(1);
    assertThat(r.torn()).isZero();
    assertThat(Files.size(first)).as("a corrupt segment is left as it is").isEqualTo(bytes.length);
  }

  @Test
  void aBitFlipMidLastSegment_isCorruption_notATear_soTheRestIsNotCutOff() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 5), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 5, "5 acknowledged");
    }
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[recordStarts(bytes).get(1) + 12] ^= 0x01;
    Files.write(segment, bytes);

    List<Event> back = new ArrayList<>();
    Journal.Replayed r;
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      r = j.replay(back::addAll);
    }
    assertThat(back).isEqualTo(written(0, 1));
    assertThat(r.corrupt()).isEqualTo(1);
    assertThat(r.torn()).isZero();
    assertThat(Files.size(segment)).isEqualTo(bytes.length);
  }

  @Test
  void aSegmentWithATornHeader_isDeleted() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 2), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 2, "acknowledged");
    }
    Path torn = dir.resolve(SegmentFormat.name(2));
    Files.write(torn, Arrays.copyOf(SegmentFormat.header(T0).array(), 7));

    assertThat(replay()).isEqualTo(written(0, 2));
    assertThat(torn).doesNotExist();
  }

  @Test
  void eventsOlderThanTheRetention_areSkipped_andWhollyOldSegmentsDeleted() throws Exception {
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 3), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 3, "acknowledged");
    }
    now.set(T0 + HOUR / 2);
    try (Journal j = open(new ArrayList<>())) {
      j.append(List.of(event(T0 + HOUR / 2, 7)), T0 + HOUR / 2);
      Poll.until(WAIT, () -> j.acknowledged() == 1, "acknowledged");
    }
    now.set(T0 + HOUR + 50); // the first segment's events are past the hour's retention

    List<Event> back = new ArrayList<>();
    Journal.Replayed r;
    try (Journal j = Journal.open(dir, settings, HOUR, clock)) {
      r = j.replay(back::addAll);
    }
    assertThat(back).containsExactly(event(T0 + HOUR / 2, 7));
    assertThat(r.expired()).isEqualTo(3);
    assertThat(Journal.segmentFiles(dir)).extracting(SegmentFormat::number).containsExactly(2L);
  }

  @Test
  void theSizeBound_deletesTheOldestSegmentFirst() throws Exception {
    // 2 MiB bound, 256 KiB segments: at most 7 closed segments plus the one being written.
    settings = new JournalSettings(2L << 20, 256L << 10, Duration.ofMinutes(1),
        Duration.ofMillis(5), 100_000, ChannelOpener.files());
    String pad = "x".repeat(1000);
    long total = 0;
    try (Journal j = open(new ArrayList<>())) {
      for (int n = 0; n < 4000; n++) { // about 4 MB: twice the bound
        j.append(List.of(new Event(T0 + n, Map.of("n", (long) n, "pad", pad))), T0 + 5000);
        total++;
        long sent = total;
        if (n % 100 == 99) {
          Poll.until(WAIT, () -> j.acknowledged() == sent, "acknowledged");
        }
      }
      Poll.until(WAIT, () -> j.acknowledged() == 4000, "all acknowledged");
      assertThat(j.segmentsDropped()).isPositive();
    }
    long onDisk = 0;
    for (Path f : Journal.segmentFiles(dir)) {
      onDisk += Files.size(f);
    }
    // The bound, plus the one batch (here one event) a segment may outgrow its size by.
    assertThat(onDisk).isLessThanOrEqualTo((2L << 20) + 1100);

    List<Event> back = replay();
    long first = (Long) back.get(0).fields().get("n");
    assertThat(first).as("the oldest went first").isPositive();
    assertThat(back).extracting(e -> (Long) e.fields().get("n"))
        .as("what is left is the newest, whole and in order")
        .isEqualTo(java.util.stream.LongStream.range(first, 4000).boxed().toList());
  }

  @Test
  void aFullDisk_stopsJournaling_countsWhatWasNotKept_andResumesOnRetry() throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    settings = settings.withOpener(file -> {
      if (full.get()) {
        throw new IOException("No space left on device");
      }
      return new FailingChannel(ChannelOpener.files().create(file), full::get);
    });
    try (Journal j = open(new ArrayList<>())) {
      appendAll(j, written(0, 3), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 3, "3 acknowledged");

      full.set(true);
      j.append(written(3, 5), T0 + 100);
      Poll.until(WAIT, () -> j.failure() != null, "the failure seen");
      j.append(written(5, 6), T0 + 100);
      Poll.until(WAIT, () -> j.unjournaled() == 3, "3 not journaled");
      assertThat(j.failure()).contains("No space left on device");
      assertThat(j.writeFailures()).isEqualTo(1);
      assertThat(j.acknowledged()).isEqualTo(3);

      full.set(false);
      now.addAndGet(Duration.ofMinutes(1).toMillis()); // the retry is due
      Poll.until(WAIT, () -> j.failure() == null, "journaling again");
      j.append(written(6, 8), T0 + 100);
      Poll.until(WAIT, () -> j.acknowledged() == 5, "5 acknowledged");
    }
    List<Event> expected = new ArrayList<>(written(0, 3));
    expected.addAll(written(6, 8));
    assertThat(replay()).as("exactly the acknowledged events").isEqualTo(expected);
  }

  @Test
  void aFullQueue_refusesTheBatch_andCountsIt_neverBlocking() throws Exception {
    settings = new JournalSettings(4L << 20, 1L << 20, Duration.ofMinutes(1),
        Duration.ofMillis(5), 4, ChannelOpener.files());
    Journal j = Journal.open(dir, settings, HOUR, clock);
    j.replay(e -> { });
    j.start(r -> new Thread(() -> { }, "idle")); // a writer that never drains the queue
    j.append(written(0, 4), T0);
    j.append(written(4, 5), T0);
    assertThat(j.refused()).isEqualTo(1);
    j.close();
  }

  @Test
  void aSecondOpen_ofTheSameDirectory_isRefused_untilTheFirstCloses() throws Exception {
    Journal first = Journal.open(dir, settings, HOUR, clock);
    assertThatThrownBy(() -> Journal.open(dir, settings, HOUR, clock))
        .isInstanceOf(Journal.LockedException.class)
        .hasMessageContaining("in use by another livegraph")
        .hasMessageContaining("--no-journal");
    first.close();
    Journal.open(dir, settings, HOUR, clock).close();
  }

  @Test
  void dashboardNames_becomeSafeDirectoryNames() {
    Path root = Path.of("/state");
    assertThat(Journal.dirFor(root, "web-1")).isEqualTo(root.resolve("web-1"));
    assertThat(Journal.dirFor(root, "../etc")).isEqualTo(root.resolve(".._etc"));
    assertThat(Journal.dirFor(root, "..")).isEqualTo(root.resolve("_.."));
    assertThat(Journal.dirFor(root, "a b/c")).isEqualTo(root.resolve("a_b_c"));
  }

  /** Offsets where each record of a segment's bytes starts. */
  private static List<Integer> recordStarts(byte[] segment) {
    List<Integer> starts = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(segment);
    for (int pos = SegmentFormat.HEADER_BYTES; pos + 8 <= segment.length;
        pos += 8 + b.getInt(pos)) {
      starts.add(pos);
    }
    return starts;
  }
}
