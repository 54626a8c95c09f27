package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
