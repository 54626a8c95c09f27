package livegraph.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The static page of a snapshot document, and what the command line says about it. */
class SnapshotExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final long CAPTURED = Instant.parse("2026-11-29T07:41:12.345Z").toEpochMilli();
  static final String DOC = "{\"capturedAt\":" + CAPTURED + ",\"url\":\"http://127.0.0.1:8080/\","
      + "\"hello\":{\"type\":\"hello\",\"dashboard\":{\"name\":\"stackexchange\",\"title\":\"StackExchange activity\","
      + "\"charts\":[{\"id\":\"a\",\"kind\":\"bar\"},{\"id\":\"b\",\"kind\":\"list\"}]}},"
      + "\"charts\":{\"b\":{\"items\":[{\"time\":1,\"title\":\"</script><script>window.__xss=1</script>\"}]}},"
      + "\"status\":null}";
  private static final Pattern DATA_BLOCK =
      Pattern.compile("<script type=\"application/json\" id=\"livegraph-snapshot\">(.*?)</script>", Pattern.DOTALL);

  @Test
  void page_carriesTheDocumentIntact_asInertData_andMayConnectNowhere() throws Exception {
    String html = SnapshotExport.html(DOC);

    Matcher block = DATA_BLOCK.matcher(html);
    assertThat(block.find()).isTrue();
    assertThat(block.group(1)).as("no '<' can end the block early").doesNotContain("<");
    assertThat(JSON.readTree(block.group(1))).isEqualTo(JSON.readTree(DOC));
    assertThat(html)
        .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .contains("connect-src 'none';")
        .contains("<title>StackExchange activity (snapshot)</title>")
        .contains("const __lg_snapshot_js = (() => {")
        .contains("const __lg_chartfiles_js = (() => {")
        .doesNotContain("<script src=")
        .doesNotContain("<link rel=\"stylesheet\"")
        .doesNotContain("download-snapshot");
    assertThat(html.split("<script type=\"application/json\"", -1)).as("one data block").hasSize(2);
  }

  @Test
  void page_isTheSameTemplateEachTime_onlyTitleAndDataDiffer() {
    String one = SnapshotExport.html(DOC);
    String two = SnapshotExport.html(DOC.replace("StackExchange activity", "Other"));
    assertThat(two.length() - one.length()).isEqualTo(2 * ("Other".length() - "StackExchange activity".length()));
  }

  @Test
  void whatIsNotASnapshot_isRefusedSayingWhy() {
    assertThatThrownBy(() -> SnapshotExport.html("<html>")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> SnapshotExport.html("[1]")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> SnapshotExport.html("{\"hello\":{}}")).hasMessage("no \"capturedAt\" time");
    assertThatThrownBy(() -> SnapshotExport.html("{\"capturedAt\":1,\"hello\":{},\"charts\":{}}"))
        .hasMessage("no \"hello\" with a dashboard and its charts");
    assertThatThrownBy(() -> SnapshotExport.html("{\"capturedAt\":1,\"hello\":{\"dashboard\":{\"charts\":[]}},\"charts\":[]}"))
        .hasMessage("no \"charts\" object");
    assertThatThrownBy(() -> SnapshotExport.html(DOC + "trailing")).hasMessageStartingWith("not JSON");
  }

  @Test
  void fileName_isTheDashboardAndTheCaptureMinuteInUtc_safeForAnyName() {
    assertThat(SnapshotExport.fileName("stackexchange", CAPTURED)).isEqualTo("stackexchange-20261129-0741.html");
    assertThat(SnapshotExport.fileName("my dash/\"é\"", CAPTURED)).isEqualTo("my_dash____-20261129-0741.html");
    assertThat(SnapshotExport.fileName("..", CAPTURED)).isEqualTo("livegraph..-20261129-0741.html");
  }

  @Test
  void summary_namesFileSizeTitleChartsTimeAndSource() {
    assertThat(SnapshotExport.summary(Path.of("snap.html"), 1_912_345, Snapshot.parse(DOC)))
        .isEqualTo("wrote snap.html (1.9 MB): \"StackExchange activity\", 2 charts, captured 2026-11-29 07:41:12 UTC"
            + " from http://127.0.0.1:8080/");
  }
}
