package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import livegraph.source.Decoding.Extract;
import org.junit.jupiter.api.Test;

/** The identity of a decoding: keys of its extracts, each once. */
class DecodingTest {

  private static final List<Extract> EXTRACTS =
      List.of(new Extract("site", "/apiSiteParameter", false), Extract.of("id"));

  @Test
  void identity_isKeptInOrder_andTheFourArgumentConstructorHasNone() {
    Decoding with = new Decoding(Map.of(), null, null, EXTRACTS, List.of("id", "site"));
    Decoding without = new Decoding(Map.of(), null, null, EXTRACTS);

    assertThat(with.identity()).containsExactly("id", "site");
    assertThat(without.identity()).isEmpty();
    assertThat(Decoding.fields("a", "b").identity()).isEmpty();
    assertThat(without.withIdentity("site", "id"))
        .isEqualTo(new Decoding(Map.of(), null, null, EXTRACTS, List.of("site", "id")));
  }

  @Test
  void identity_refusesBlankDuplicateAndUnextractedKeys_namingThem() {
    assertThatThrownBy(() -> new Decoding(Map.of(), null, null, EXTRACTS, List.of("id", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity key must not be blank: ' '");
    assertThatThrownBy(() -> new Decoding(Map.of(), null, null, EXTRACTS, List.of("id", "id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity names 'id' twice: [id, id]");
    assertThatThrownBy(() -> new Decoding(Map.of(), null, null, EXTRACTS, List.of("/id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity key '/id' is not an extract key: [site, id]");
    assertThatThrownBy(() -> new Decoding(Map.of(), null, null, EXTRACTS, null))
        .isInstanceOf(NullPointerException.class).hasMessage("identity");
  }

  @Test
  void stackExchangeFeed_identifiesAnActivityBySiteQuestionAndActivityDate() {
    assertThat(StackExchangeFeed.decoding().identity())
        .containsExactly("apiSiteParameter", "id", "lastActivityDate");
  }
}
