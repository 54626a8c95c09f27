package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediansTest {

  @Test
  void median_oddEvenAndMissing() {
    assertThat(Medians.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Medians.median(List.of(4, 1, 3, 2))).isEqualTo(2.5);
    assertThat(Medians.median(Arrays.asList(5.0, Double.NaN, null, 7.0, 6.0))).isEqualTo(6.0);
    assertThat(Medians.median(List.of(Double.NaN))).isNaN();
  }

  @Test
  void of_takesEachFiguresMedianOnItsOwn_andKeepsTexts() {
    List<Map<String, Object>> runs = List.of(
        run("livegraph", 10.0, 90.0), run("livegraph", 30.0, 70.0), run("livegraph", 20.0, 80.0));
    Map<String, Object> m = Medians.of(runs);
    assertThat(m).containsEntry("target", "livegraph").containsEntry("p50", 20.0)
        .containsEntry("p99", 80.0);
    assertThat(m.keySet()).containsExactly("target", "p50", "p99");
  }

  @Test
  void of_keepsCountsWhole_whenTheirMedianIs() {
    Map<String, Object> a = new LinkedHashMap<>(Map.of("viewers", 1000));
    Map<String, Object> b = new LinkedHashMap<>(Map.of("viewers", 1000));
    assertThat(Medians.of(List.of(a, b))).containsEntry("viewers", 1000L);
    Map<String, Object> c = new LinkedHashMap<>(Map.of("gaps", 1L));
    Map<String, Object> d = new LinkedHashMap<>(Map.of("gaps", 2L));
    assertThat(Medians.of(List.of(c, d))).containsEntry("gaps", 1.5);
  }

  @Test
  void of_nothing_isRefused() {
    assertThatThrownBy(() -> Medians.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, Object> run(String target, double p50, double p99) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("p50", p50);
    m.put("p99", p99);
    return m;
  }
}
