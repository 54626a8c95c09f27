package livegraph.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "did you mean": close typos suggest, distant or tiny words do not. */
class SuggestionsTest {

  private static final List<String> KEYS = List.of("title", "type", "source", "sources", "by");

  @Test
  void typo_suggestsTheClosestKey() {
    assertThat(Suggestions.closest("tittle", KEYS)).isEqualTo("title");
    assertThat(Suggestions.closest("tilte", KEYS)).isEqualTo("title");
    assertThat(Suggestions.closest("Sorces", KEYS)).isEqualTo("sources");
    assertThat(Suggestions.closest("stackexchnage", List.of("logs", "stackexchange")))
        .isEqualTo("stackexchange");
  }

  @Test
  void distantOrTinyWord_suggestsNothing_andTheHintListsTheChoices() {
    assertThat(Suggestions.closest("colour", KEYS)).isNull();
    assertThat(Suggestions.closest("q", List.of("t"))).isNull();
    assertThat(Suggestions.hint("colour", KEYS))
        .isEqualTo(": expected one of title, type, source, sources, by");
    assertThat(Suggestions.hint("tpye", KEYS)).isEqualTo(": did you mean 'type'?");
  }
}
