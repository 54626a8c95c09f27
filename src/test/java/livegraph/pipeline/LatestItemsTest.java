package livegraph.pipeline;

import static livegraph.pipeline.TestEvents.event;
import static livegraph.pipeline.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatestItemsTest {

  private static LatestItems list(int size) {
    return new LatestItems(new ListSpec("latest", "Latest", size,
        List.of("title", "apiSiteParameter", "tags", "id", "score", "answered")));
  }

  @Test
  void items_newestFirst_cappedAtSize() {
    LatestItems list = list(3);
    for (int i = 1; i <= 5; i++) {
      list.add(i * 1000L, event(i * 1000L, "title", "q" + i));
    }
    JsonNode items = json(list).get("items");
    List<String> titles = new ArrayList<>();
    items.forEach(item -> titles.add(item.get("title").asText()));
    assertThat(titles).containsExactly("q5", "q4", "q3");
    assertThat(items.get(0).get("time").asLong()).isEqualTo(5000);
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void item_copiesListedFieldsPresent_withTheirJsonTypes() {
    LatestItems list = list(10);
    list.add(7, event(7, "title", "<b>\"quoted\"</b>", "tags", List.of("java", "c#"),
        "id", 57991L, "score", 1.5, "answered", true, "bodySummary", "not listed"));
    list.add(8, event(8, "apiSiteParameter", "math"));

    assertThat(new String(ChartJson.encode(list), StandardCharsets.UTF_8)).isEqualTo(
        "{\"items\":["
            + "{\"time\":8,\"apiSiteParameter\":\"math\"},"
            + "{\"time\":7,\"title\":\"<b>\\\"quoted\\\"</b>\",\"tags\":[\"java\",\"c#\"],"
            + "\"id\":57991,\"score\":1.5,\"answered\":true}]}");
  }

  @Test
  void empty_listHasNoItems_andIsReportedOnce() {
    LatestItems list = list(2);
    assertThat(json(list).get("items")).isEmpty();
    assertThat(list.changed()).isFalse();
    list.advanceTo(Long.MAX_VALUE);
    assertThat(list.changed()).isFalse();
  }
}
