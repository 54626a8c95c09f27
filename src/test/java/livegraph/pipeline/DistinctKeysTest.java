package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The keys an event gives a keyed chart, and the copy-free path that IngestBench profiled. */
class DistinctKeysTest {

  @Test
  void listOfDistinctStrings_isTheEventsOwnList_notACopy() {
    List<String> tags = List.of("java", "maven", "jmh");
    assertThat(Aggregator.distinctKeys(event(0, "tags", tags), "tags")).isSameAs(tags);
    assertThat(Values.texts(tags)).isSameAs(tags);
  }

  @Test
  void listWithARepeat_givesEachKeyOnce_inFirstSeenOrder() {
    Event e = event(0, "tags", List.of("b", "a", "b", "c", "a"));
    assertThat(Aggregator.distinctKeys(e, "tags")).containsExactly("b", "a", "c");
  }

  @Test
  void longListWithARepeat_givesEachKeyOnce() {
    List<String> keys = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "k" + i).toList());
    keys.add("k3");
    List<String> distinct = Aggregator.distinctKeys(event(0, "tags", keys), "tags");
    assertThat(distinct).hasSize(40).doesNotHaveDuplicates().startsWith("k0", "k1");
  }

  @Test
  void listWithNonStrings_keepsOnlyItsStrings() {
    Event e = event(0, "tags", Arrays.asList("a", 7L, "b", null, "a"));
    assertThat(Values.texts(e.fields().get("tags"))).containsExactly("a", "b", "a");
    assertThat(Aggregator.distinctKeys(e, "tags")).containsExactly("a", "b");
  }

  @Test
  void scalars_giveOneKey_absentNone() {
    assertThat(Aggregator.distinctKeys(event(0, "site", "diy"), "site")).containsExactly("diy");
    assertThat(Aggregator.distinctKeys(event(0, "n", 2.0), "n")).containsExactly("2");
    assertThat(Aggregator.distinctKeys(event(0, "site", "diy"), "other")).isEmpty();
  }
}
