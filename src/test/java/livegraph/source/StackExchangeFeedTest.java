package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import org.junit.jupiter.api.Test;

/** The StackExchange feed as configuration: what its spec decodes from real sample frames. */
class StackExchangeFeedTest {

  private static final long ARRIVAL = 1_700_000_000_123L;

  private final WebSocketSpec spec =
      StackExchangeFeed.spec("se", URI.create("ws://127.0.0.1:8081/"), Duration.ofMinutes(5));
  private final JsonEventDecoder decoder =
      new JsonEventDecoder(spec.decoding(), spec.heartbeat().match());

  private static List<String> samples(String file) throws IOException {
    Path path = Path.of(System.getProperty("livegraph.shared"), "data", "stackexchange", file);
    return Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private Event question(String frame) {
    Result result = decoder.decode(frame, Map.of(), ARRIVAL);
    assertThat(result).as("result of %s", frame).isInstanceOf(Decoded.class);
    return ((Decoded) result).event();
  }

  private SkipReason skipReason(String frame) {
    Result result = decoder.decode(frame, Map.of(), ARRIVAL);
    assertThat(result).as("result of %s", frame).isInstanceOf(Skipped.class);
    return ((Skipped) result).reason();
  }

  /** Wraps an inner object as a frame of the subscribed channel, encoding it as a string. */
  private static String frame(String innerJson) {
    String escaped = innerJson.replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"action\":\"155-questions-active\",\"data\":\"" + escaped + "\"}";
  }

  @Test
  void spec_subscribesToActiveQuestions_andAnswersHbWithHb() {
    assertThat(spec.subscribe()).containsExactly("155-questions-active");
    assertThat(spec.heartbeat().match()).containsExactly(Map.entry("/action", "hb"));
    assertThat(spec.heartbeat().reply()).isEqualTo("hb");
    assertThat(spec.silence()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.decoding().extracts()).extracting(Decoding.Extract::key).containsExactly(
        "apiSiteParameter", "siteBaseHostAddress", "id", "title", "tags", "url",
        "lastActivityDate", "ownerDisplayName");
  }

  @Test
  void sampleQuestions_decodeToExactFields() throws IOException {
    List<String> lines = samples("samples.jsonl");

    assertThat(question(lines.get(0)))
        .isEqualTo(
            new Event(
                ARRIVAL,
                Map.of(
                    "apiSiteParameter", "diy",
                    "siteBaseHostAddress", "diy.stackexchange.com",
                    "id", 57991L,
                    "title", "What projects to do prior to move in?",
                    "tags", List.of("cabinets", "lock", "new-home"),
                    "url", "http://diy.stackexchange.com/questions/57991/what-projects-to-do-prior-to-move-in",
                    "lastActivityDate", 1421536273L,
                    "ownerDisplayName", "Panky")));
    assertThat(question(lines.get(1)))
        .isEqualTo(
            new Event(
                ARRIVAL,
                Map.of(
                    "apiSiteParameter", "chinese",
                    "siteBaseHostAddress", "chinese.stackexchange.com",
                    "id", 6977L,
                    "title", "My patience is running out",
                    "tags", List.of("translation"),
                    "url", "http://chinese.stackexchange.com/questions/6977/my-patience-is-running-out",
                    "lastActivityDate", 1401243427L,
                    "ownerDisplayName", "Growler")));
  }

  @Test
  void sourceName_isCopiedAsMetaField() throws IOException {
    Result result = decoder.decode(samples("samples.jsonl").get(0), Map.of("@source", "se"), ARRIVAL);
    assertThat(((Decoded) result).event().fields()).containsEntry("@source", "se");
  }

  @Test
  void sampleHeartbeat_isHeartbeat() throws IOException {
    assertThat(decoder.decode(samples("samples.jsonl").get(2), Map.of(), ARRIVAL))
        .isSameAs(Heartbeat.INSTANCE);
  }

  @Test
  void otherChannelSamples_areAllSkippedAsOtherChannel() throws IOException {
    List<String> lines = samples("samples-other-channels.jsonl");
    Map<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
    for (String line : lines) {
      counts.merge(skipReason(line), 1, Integer::sum);
    }
    assertThat(lines).hasSize(8);
    assertThat(counts).containsExactly(Map.entry(SkipReason.OTHER_CHANNEL, 8));
  }

  @Test
  void minimalQuestion_hasOnlyItsFields_nullsAndUnknownFieldsLeftOut() {
    Event event =
        question(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\",\"id\":null,\"url\":null,"
            + "\"future\":{\"nested\":[1,2,{\"x\":true}]},\"more\":[\"a\"]}"));
    assertThat(event.fields())
        .containsOnly(Map.entry("apiSiteParameter", "diy"), Map.entry("title", "t"));
  }

  @Test
  void htmlEntities_areDecodedToLiteralText_notSanitised() {
    Event event =
        question(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":"
            + "\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;s&#39; caf&eacute;\","
            + "\"ownerDisplayName\":\"Tom &amp; Jerry\",\"url\":\"http://x/?a=1&amp;b=2\"}"));
    assertThat(event.string("title")).isEqualTo("<img src=x onerror=alert(1)> & \"q\" 's' café");
    assertThat(event.string("ownerDisplayName")).isEqualTo("Tom & Jerry");
    assertThat(event.string("url")).as("only title and owner are HTML").isEqualTo("http://x/?a=1&amp;b=2");
  }

  @Test
  void notJson_atEitherLevel_isNotJson() {
    assertThat(skipReason("")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("hb")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\"")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\"} x")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"155-questions-active\",\"data\":\"679,081\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\""))).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\"} 1"))).isEqualTo(SkipReason.NOT_JSON);
  }

  @Test
  void framesThatAreNotObjects_orWhoseDataIsNot_areWrongType() {
    assertThat(skipReason("[\"action\",\"hb\"]")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason("42")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("[1]"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason("{\"action\":\"155-questions-active\",\"data\":7}")).isEqualTo(SkipReason.WRONG_TYPE);
  }

  @Test
  void frameWithoutAction_isOtherChannel_withoutData_isMissingField() {
    assertThat(skipReason("{\"data\":\"hb\"}")).isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipReason("{\"action\":7,\"data\":\"hb\"}")).isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipReason("{\"action\":\"155-questions-active\"}")).isEqualTo(SkipReason.MISSING_FIELD);
  }

  @Test
  void deepNesting_isTooDeep_atEitherLevel() {
    int depth = 100_000;
    String deep = "[".repeat(depth) + "]".repeat(depth);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\",\"deep\":" + deep + "}")).isEqualTo(SkipReason.TOO_DEEP);
    String deepInner = "{\"apiSiteParameter\":\"diy\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertThat(skipReason(frame(deepInner))).isEqualTo(SkipReason.TOO_DEEP);
    String shallowInner = "{\"apiSiteParameter\":\"diy\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}";
    assertThat(question(frame(shallowInner)).string("apiSiteParameter")).isEqualTo("diy");
  }
}
