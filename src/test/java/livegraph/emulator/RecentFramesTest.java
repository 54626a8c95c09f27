package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentFramesTest {

  private static List<String> from(RecentFrames ring, long seq) {
    List<String> out = new ArrayList<>();
    for (long s = seq; s < ring.nextSeq(); s++) {
      out.add(ring.get(s));
    }
    return out;
  }

  @Test
  void fullRing_overwritesItsOldestFrame_andHoldsAtMostItsCapacity() {
    RecentFrames ring = new RecentFrames(60_000, 3);
    for (int i = 0; i < 5; i++) {
      ring.add("f" + i, 1000, ring.nextSeq());
    }
    assertThat(ring.size()).isEqualTo(3);
    assertThat(ring.holds(1)).isFalse();
    assertThat(from(ring, ring.firstYoungerThanWindow(1000))).containsExactly("f2", "f3", "f4");
    assertThatThrownBy(() -> ring.get(1)).hasMessageContaining("frame 1 is not held: 2..4");
  }

  @Test
  void onlyFramesYoungerThanTheWindow_areToBeResent() {
    RecentFrames ring = new RecentFrames(10_000, 100);
    ring.add("at0", 0, ring.nextSeq());
    ring.add("at5", 5_000, ring.nextSeq());
    ring.add("at9", 9_999, ring.nextSeq());

    assertThat(from(ring, ring.firstYoungerThanWindow(9_999))).containsExactly("at0", "at5", "at9");
    // exactly the window old is too old
    assertThat(from(ring, ring.firstYoungerThanWindow(10_000))).containsExactly("at5", "at9");
    assertThat(from(ring, ring.firstYoungerThanWindow(20_000))).isEmpty();
    assertThat(ring.firstYoungerThanWindow(20_000)).isEqualTo(ring.nextSeq());
  }

  @Test
  void framesOlderThanTheWindow_areDroppedOnAdd_unlessAReaderStillNeedsThem() {
    RecentFrames ring = new RecentFrames(10_000, 100);
    ring.add("a", 0, ring.nextSeq());
    ring.add("b", 1_000, ring.nextSeq());
    ring.add("c", 10_500, 0); // a reader is at frame 0: nothing may go
    assertThat(ring.size()).isEqualTo(3);

    ring.add("d", 11_500, ring.nextSeq()); // nobody catching up: a and b are too old
    assertThat(ring.oldestSeq()).isEqualTo(2);
    assertThat(from(ring, ring.oldestSeq())).containsExactly("c", "d");
  }

  @Test
  void refusesUnusableBounds() {
    assertThatThrownBy(() -> new RecentFrames(0, 10)).hasMessageContaining("windowMillis");
    assertThatThrownBy(() -> new RecentFrames(1000, 0)).hasMessageContaining("capacity");
  }
}
