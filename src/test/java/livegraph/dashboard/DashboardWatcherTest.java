package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Most tests drive {@link DashboardWatcher#poll} by hand (the schedule is an hour, so it never
 * fires) to step through each save exactly; one runs it on a fast real schedule.
 */
class DashboardWatcherTest {

  private static final String CHARTS = "sources:\n  logs: {stdin: {}}\ncharts:\n"
      + "  - {title: Events, type: number}\n";

  @TempDir Path dir;

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
  private final DashboardWatcher.Listener listener = new DashboardWatcher.Listener() {
    @Override
    public void onReload(Path file, Dashboard dashboard) {
      heard.add("reload " + file.getFileName() + " " + dashboard.title());
    }

    @Override
    public void onError(Path file, DashboardException error) {
      heard.add("error " + error.getMessage().replace(dir + "/", ""));
    }
  };

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private Path write(String name, String title) throws IOException {
    return Files.writeString(dir.resolve(name), "title: " + title + "\n" + CHARTS);
  }

  private DashboardWatcher manual(Path... files) {
    return new DashboardWatcher(List.of(files), executor, Duration.ofHours(1), listener).start();
  }

  private void polls(DashboardWatcher watcher, int n) {
    for (int i = 0; i < n; i++) {
      watcher.poll();
    }
  }

  @Test
  void unchangedFile_isNeverReported() throws Exception {
    DashboardWatcher watcher = manual(write("a.yaml", "A"));

    polls(watcher, 5);

    assertThat(heard).isEmpty();
  }

  @Test
  void goodEdit_isReloadedOnce_afterTwoPollsSeeTheSameContents() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);
    write("a.yaml", "Second");

    watcher.poll();
    assertThat(heard).as("still settling").isEmpty();
    watcher.poll();
    assertThat(heard).containsExactly("reload a.yaml Second");
    heard.clear();
    polls(watcher, 3);
    assertThat(heard).isEmpty();
  }

  @Test
  void badEdit_reportsEveryProblem_andTheFixReloads() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);
    Files.writeString(file, "title: A\nsources:\n  logs: {stdin: {}}\ncharts:\n"
        + "  - title: Events\n    type: number\n    top: 3\n  - {title: X, type: lne}\n");

    polls(watcher, 2);
    assertThat(heard).containsExactly("error a.yaml:7:5: 'top' does not apply to a number chart"
        + " (only to bar, pie, table, heatmap charts)\na.yaml:8:22: unknown chart type 'lne': did"
        + " you mean 'line'?");
    heard.clear();
    write("a.yaml", "Fixed");
    polls(watcher, 2);
    assertThat(heard).containsExactly("reload a.yaml Fixed");
  }

  @Test
  void touch_withoutAnEdit_isNotReported() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    polls(watcher, 3);

    assertThat(heard).isEmpty();
  }

  @Test
  void editorReplacingTheFile_byRenameOverIt_isReloaded() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);
    Path temp = write(".a.yaml.swp", "Renamed in");

    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    polls(watcher, 2);

    assertThat(heard).containsExactly("reload a.yaml Renamed in");
  }

  @Test
  void fileMissingForOnePoll_isNotAnError_butStayingMissingIs() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);

    Files.delete(file);
    watcher.poll();
    write("a.yaml", "Recreated");
    polls(watcher, 2);
    assertThat(heard).containsExactly("reload a.yaml Recreated");

    heard.clear();
    Files.delete(file);
    polls(watcher, 3);
    assertThat(heard).containsExactly("error a.yaml:1:1: cannot read the file: no such file");
  }

  @Test
  void fileStillBeingWritten_isLoadedOnlyOnceItStopsChanging() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher = manual(file);

    Files.writeString(file, "title: Half");
    watcher.poll();
    Files.writeString(file, "title: Half\nsources:\n");
    watcher.poll();
    write("a.yaml", "Whole");
    watcher.poll();
    assertThat(heard).isEmpty();
    watcher.poll();
    assertThat(heard).containsExactly("reload a.yaml Whole");
  }

  @Test
  void severalFiles_eachReportedWithItsPath_andAThrowingListenerStopsNothing() throws Exception {
    Path a = write("a.yaml", "A");
    Path b = write("b.yaml", "B");
    DashboardWatcher watcher = new DashboardWatcher(List.of(a, b), executor, Duration.ofHours(1),
        new DashboardWatcher.Listener() {
          @Override
          public void onReload(Path file, Dashboard dashboard) {
            listener.onReload(file, dashboard);
            if (file.equals(a)) {
              throw new IllegalStateException("the caller's bug");
            }
          }

          @Override
          public void onError(Path file, DashboardException error) {
            listener.onError(file, error);
          }
        }).start();
    write("a.yaml", "A2");
    write("b.yaml", "B2");

    polls(watcher, 2);

    assertThat(heard).containsExactly("reload a.yaml A2", "reload b.yaml B2");
  }

  @Test
  void onTheRealSchedule_anEditIsHeard_andCloseStopsPolling() throws Exception {
    Path file = write("a.yaml", "A");
    DashboardWatcher watcher =
        new DashboardWatcher(List.of(file), executor, Duration.ofMillis(5), listener).start();

    write("a.yaml", "Scheduled");
    Poll.until(Duration.ofSeconds(10), () -> !heard.isEmpty(), "the edit to be heard");
    assertThat(heard.poll()).isEqualTo("reload a.yaml Scheduled");

    watcher.close();
    executor.submit(() -> { }).get(); // a poll under way has finished
    write("a.yaml", "After close");
    Poll.holds(Duration.ofMillis(100), heard::isEmpty, "nothing heard after close");
  }
}
