package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import livegraph.hub.Hub;
import org.junit.jupiter.api.Test;

class RoutesTest {

  private final Hub a = hub();
  private final Hub b = hub();
  private final Hub spaced = hub();
  private final Routes several = new Routes(Dashboards.of(ordered(
      new Dashboards.Entry("a", "A"), a,
      new Dashboards.Entry("b", "B"), b,
      new Dashboards.Entry("my dash", "Mine"), spaced)));
  private final Routes one = new Routes(Dashboards.single("a", "A", a));
  private final Routes none = new Routes(Dashboards.of(Map.of()));

  @Test
  void root_isThePage_forOneDashboard_elseTheListing() {
    assertThat(one.resolve("/")).isEqualTo(new Routes.Asset("index.html"));
    assertThat(several.resolve("/")).isEqualTo(new Routes.Asset("dashboards.html"));
    assertThat(none.resolve("/")).isEqualTo(new Routes.Asset("dashboards.html"));
  }

  @Test
  void rootSocket_isTheFirstDashboards_andNotFoundWithoutAny() {
    assertThat(several.resolve("/ws")).isEqualTo(new Routes.Socket("a", a, Views.NONE));
    assertThat(one.resolve("/ws")).isEqualTo(new Routes.Socket("a", a, Views.NONE));
    assertThat(none.resolve("/ws")).isEqualTo(new Routes.NotFound());
  }

  @Test
  void dashboardPaths_pageSocketAssetsAndRedirect() {
    assertThat(several.resolve("/d/b/")).isEqualTo(new Routes.Asset("index.html"));
    assertThat(several.resolve("/d/b/ws")).isEqualTo(new Routes.Socket("b", b, Views.NONE));
    assertThat(several.resolve("/d/b/app.js")).isEqualTo(new Routes.Asset("app.js"));
    assertThat(several.resolve("/d/b/vendor/x.js")).isEqualTo(new Routes.Asset("vendor/x.js"));
    assertThat(several.resolve("/d/b")).isEqualTo(new Routes.Redirect("/d/b/"));
    assertThat(several.resolve("/d/my dash")).isEqualTo(new Routes.Redirect("/d/my%20dash/"));
    assertThat(several.resolve("/d/my dash/ws")).isEqualTo(new Routes.Socket("my dash", spaced, Views.NONE));
  }

  @Test
  void unknownDashboard_isNotFound_whateverFollows() {
    for (String path : new String[] {"/d/zzz", "/d/zzz/", "/d/zzz/ws", "/d/zzz/app.js", "/d/", "/d//ws"}) {
      assertThat(several.resolve(path)).as(path).isEqualTo(new Routes.NotFound());
    }
  }

  @Test
  void fixedPaths_andPlainAssets() {
    assertThat(several.resolve("/healthz")).isEqualTo(new Routes.Health());
    assertThat(several.resolve("/metrics")).isEqualTo(new Routes.Metrics());
    assertThat(several.resolve("/dashboards.json")).isEqualTo(new Routes.Listing());
    assertThat(several.resolve("/app.js")).isEqualTo(new Routes.Asset("app.js"));
    assertThat(several.resolve("nope")).isEqualTo(new Routes.NotFound());
  }

  @Test
  void snapshots_besideEachDashboardsPage_andTheFirstDashboardsAtTheRoot() {
    assertThat(several.resolve("/d/b/snapshot.json"))
        .isEqualTo(new Routes.Snapshot("b", b, "/d/b/", Routes.SnapshotFormat.JSON));
    assertThat(several.resolve("/d/my dash/snapshot.html"))
        .isEqualTo(new Routes.Snapshot("my dash", spaced, "/d/my%20dash/", Routes.SnapshotFormat.HTML));
    assertThat(several.resolve("/snapshot.json"))
        .as("with several dashboards / is the listing, so the page is the first one's own")
        .isEqualTo(new Routes.Snapshot("a", a, "/d/a/", Routes.SnapshotFormat.JSON));
    assertThat(one.resolve("/snapshot.html"))
        .isEqualTo(new Routes.Snapshot("a", a, "/", Routes.SnapshotFormat.HTML));
    assertThat(none.resolve("/snapshot.json")).isEqualTo(new Routes.NotFound());
    assertThat(several.resolve("/d/zzz/snapshot.json")).isEqualTo(new Routes.NotFound());
    assertThat(several.resolve("/d/b/vendor/snapshot.json")).isEqualTo(new Routes.Asset("vendor/snapshot.json"));
    assertThat(several.resolve("/d/b/snapshot.js")).isEqualTo(new Routes.Asset("snapshot.js"));
  }

  @Test
  void pagePath_encodesTheNameAsOneSegment() {
    assertThat(Routes.pagePath("web")).isEqualTo("/d/web/");
    assertThat(Routes.pagePath("a b+c%?#é")).isEqualTo("/d/a%20b%2Bc%25%3F%23%C3%A9/");
  }

  @Test
  void entries_refuseNamesThatCannotBeOnePathSegment_andDuplicates() {
    assertThatThrownBy(() -> new Dashboards.Entry("a/b", "x")).hasMessageContaining("a/b");
    assertThatThrownBy(() -> new Dashboards.Entry("", "x")).hasMessageContaining("non-empty");
    assertThatThrownBy(() -> new Dashboards.Entry("a\nb", "x")).hasMessageContaining("control");
    assertThatThrownBy(() -> Dashboards.of(ordered(
        new Dashboards.Entry("a", "A"), a, new Dashboards.Entry("a", "other title"), b)))
        .hasMessageContaining("two dashboards named a");
  }

  private static Map<Dashboards.Entry, Hub> ordered(Object... entriesAndHubs) {
    Map<Dashboards.Entry, Hub> map = new LinkedHashMap<>();
    for (int i = 0; i < entriesAndHubs.length; i += 2) {
      map.put((Dashboards.Entry) entriesAndHubs[i], (Hub) entriesAndHubs[i + 1]);
    }
    return map;
  }

  private static Hub hub() {
    return new Hub("{}".getBytes(StandardCharsets.UTF_8), Map.of(), () -> 0L, Hub.Limits.defaults());
  }
}
