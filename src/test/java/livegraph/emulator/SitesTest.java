package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SitesTest {

  @Test
  void load_readsEverySiteWithQuestions_andGivesEachAnApiSiteParameter() {
    List<Sites.Site> sites = Sites.load();

    assertThat(sites).hasSize(344);
    assertThat(sites).allSatisfy(s -> {
      assertThat(s.apiSiteParameter()).isNotBlank();
      assertThat(s.weight()).isPositive();
    });
    assertThat(new HashSet<>(sites.stream().map(Sites.Site::apiSiteParameter).toList()))
        .as("api site parameters are unique").hasSize(sites.size());
    assertThat(sites.get(0).apiSiteParameter()).isEqualTo("stackoverflow");
  }

  @Test
  void missingApiSiteParameter_isDerivedFromTheHost() {
    assertThat(Sites.apiSiteParameterFromHost("ai.stackexchange.com")).isEqualTo("ai");
    assertThat(Sites.apiSiteParameterFromHost("es.stackoverflow.com")).isEqualTo("es.stackoverflow");
    assertThat(Sites.apiSiteParameterFromHost("ai.meta.stackexchange.com")).isEqualTo("meta.ai");
    assertThat(Sites.apiSiteParameterFromHost("meta.es.stackoverflow.com"))
        .isEqualTo("meta.es.stackoverflow");
    assertThat(Sites.apiSiteParameterFromHost("meta.vegetarianism.stackexchange.com"))
        .isEqualTo("meta.vegetarianism");
  }
}
