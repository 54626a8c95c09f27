package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldPathTest {

  @Test
  void pointer_isKeptAsWritten() {
    FieldPath path = FieldPath.parse("/a/b/0");
    assertThat(path.isMeta()).isFalse();
    assertThat(path.pointer().toString()).isEqualTo("/a/b/0");
    assertThat(path).hasToString("/a/b/0");
  }

  @Test
  void dottedPath_compilesToTheSamePointer() {
    assertThat(FieldPath.parse("a.b.0").pointer()).isEqualTo(FieldPath.parse("/a/b/0").pointer());
    assertThat(FieldPath.parse("level").pointer().toString()).isEqualTo("/level");
    assertThat(FieldPath.parse("a.b.0")).hasToString("a.b.0");
  }

  @Test
  void dottedPath_escapesSlashAndTilde_inItsSegments() {
    assertThat(FieldPath.parse("a/b.c~d").pointer().toString()).isEqualTo("/a~1b/c~0d");
  }

  @Test
  void metaField_hasNoPointer() {
    FieldPath meta = FieldPath.parse("@topic");
    assertThat(meta.isMeta()).isTrue();
    assertThat(meta.pointer()).isNull();
    assertThat(FieldPath.parse("@last-event_id2").isMeta()).isTrue();
  }

  @Test
  void rootPointer_isTheWholeDocument() {
    assertThat(FieldPath.parse("/").pointer().toString()).isEqualTo("/");
  }

  @Test
  void equality_isByTheTextAsWritten() {
    assertThat(FieldPath.parse("a.b")).isEqualTo(FieldPath.parse("a.b"))
        .hasSameHashCodeAs(FieldPath.parse("a.b"))
        .isNotEqualTo(FieldPath.parse("/a/b"));
  }

  @Test
  void badReferences_areRejectedWithTheTextAndWhatWasExpected() {
    assertThatThrownBy(() -> FieldPath.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON Pointer").hasMessageContaining("dotted path");
    assertThatThrownBy(() -> FieldPath.parse("  "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldPath.parse("a..b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a..b\"");
    assertThatThrownBy(() -> FieldPath.parse("a."))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> FieldPath.parse(".a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldPath.parse("@"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@topic");
    assertThatThrownBy(() -> FieldPath.parse("@9x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@9x");
    assertThatThrownBy(() -> FieldPath.parse("@a.b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldPath.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void resolve_walksObjectsByName_andArraysByIndex() {
    Object doc = Map.of("a", Map.of("b", List.of("x", "y")), "t", List.of(Map.of("n", 1L)));

    assertThat(FieldPath.parse("/a/b/1").resolve(doc)).isEqualTo("y");
    assertThat(FieldPath.parse("a.b.0").resolve(doc)).isEqualTo("x");
    assertThat(FieldPath.parse("t.0.n").resolve(doc)).isEqualTo(1L);
    assertThat(FieldPath.parse("/a").resolve(doc)).isEqualTo(Map.of("b", List.of("x", "y")));
  }

  @Test
  void resolve_whatIsNotThere_isNull() {
    Object doc = Map.of("a", List.of("x"), "s", "text", "n", Arrays.asList((Object) null));

    assertThat(FieldPath.parse("missing").resolve(doc)).isNull();
    assertThat(FieldPath.parse("/a/1").resolve(doc)).as("past the end").isNull();
    assertThat(FieldPath.parse("/a/-").resolve(doc)).as("'-' is not an index").isNull();
    assertThat(FieldPath.parse("/a/00").resolve(doc)).as("a leading zero is not an index").isNull();
    assertThat(FieldPath.parse("/s/0").resolve(doc)).as("into a string").isNull();
    assertThat(FieldPath.parse("/n/0").resolve(doc)).as("JSON null").isNull();
  }

  @Test
  void resolve_readsEachSegmentAsJacksonDoes() {
    Object doc = Map.of("", "empty name", "01", "a name", "a/b", 1L, "c~d", 2L);

    assertThat(FieldPath.parse("/").resolve(doc)).as("one empty segment").isEqualTo("empty name");
    assertThat(FieldPath.parse("/01").resolve(doc)).as("on an object, a name").isEqualTo("a name");
    assertThat(FieldPath.parse("/a~1b").resolve(doc)).isEqualTo(1L);
    assertThat(FieldPath.parse("c~d").resolve(doc)).isEqualTo(2L);
  }
}
