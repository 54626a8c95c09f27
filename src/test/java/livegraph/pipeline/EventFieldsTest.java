package livegraph.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFieldsTest {

  private static final EventFields.Layout LAYOUT =
      new EventFields.Layout(List.of("site", "tags", "score"));

  @Test
  void isAMapOfTheSetSlots_equalToAnyMapOfTheSameEntries() {
    EventFields f = LAYOUT.builder().set(0, "diy").set(1, List.of("a", "b")).build();
    assertThat(f).containsOnly(Map.entry("site", "diy"), Map.entry("tags", List.of("a", "b")));
    assertThat(f.size()).isEqualTo(2);
    assertThat(f.get(new String("site"))).as("found by equal keys, not only the same").isEqualTo("diy");
    assertThat(f.get("score")).isNull();
    assertThat(f.containsKey("score")).isFalse();
    assertThat(f.get(7)).isNull();
    Map<String, Object> same = new HashMap<>(Map.of("site", "diy", "tags", List.of("a", "b")));
    assertThat(f).isEqualTo(same);
    assertThat(same).isEqualTo(f);
    assertThat(f.hashCode()).isEqualTo(same.hashCode());
    assertThat(LAYOUT.builder().build()).isEmpty();
  }

  @Test
  void cannotBeChanged_norItsBuilderUsedAgain() {
    EventFields.Builder builder = LAYOUT.builder().set(2, 5L);
    EventFields f = builder.build();
    assertThatThrownBy(() -> f.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> f.remove("score")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(f::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> builder.set(0, "late")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    assertThat(f).containsOnly(Map.entry("score", 5L));
  }

  @Test
  void event_keepsADecodersFields_butCopiesAnyOtherMap() {
    EventFields f = LAYOUT.builder().set(0, "diy").build();
    assertThat(new Event(1, f).fields()).isSameAs(f);
    Map<String, Object> pushed = new HashMap<>(Map.of("site", "diy"));
    Event e = new Event(1, pushed);
    pushed.put("site", "changed");
    assertThat(e.fields()).isNotSameAs(pushed).containsOnly(Map.entry("site", "diy"));
  }

  @Test
  void layout_refusesARepeatedKey() {
    assertThatThrownBy(() -> new EventFields.Layout(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a");
  }
}
