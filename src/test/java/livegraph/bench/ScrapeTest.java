package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeTest {

  private static final String TEXT = """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 234.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 99999.0
      livegraph_viewer_queue_bytes_max{dashboard="a"} 10.0
      livegraph_viewer_queue_bytes_max{dashboard="b"} 30.0
      process_uptime_seconds 12.5
      this line is not a sample
      """;

  @Test
  void sum_addsTheSamplesWithTheLabels() {
    Scrape s = Scrape.parse(TEXT);
    assertThat(s.sum("jvm_memory_used_bytes", "area", "heap")).isEqualTo(1234.0);
    assertThat(s.sum("jvm_memory_used_bytes")).isEqualTo(101233.0);
    assertThat(s.sum("process_uptime_seconds")).isEqualTo(12.5);
    assertThat(s.sum("absent")).isZero();
  }

  @Test
  void max_isTheLargest_andAnUnreadableLineIsSkipped() {
    Scrape s = Scrape.parse(TEXT);
    assertThat(s.max("livegraph_viewer_queue_bytes_max")).isEqualTo(30.0);
  }
}
