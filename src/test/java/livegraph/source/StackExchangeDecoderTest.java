package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import livegraph.source.StackExchangeDecoder.Heartbeat;
import livegraph.source.StackExchangeDecoder.Question;
import livegraph.source.StackExchangeDecoder.Result;
import livegraph.source.StackExchangeDecoder.Skipped;
import org.junit.jupiter.api.Test;

class StackExchangeDecoderTest {

  private static final long ARRIVAL = 1_700_000_000_123L;

  private final StackExchangeDecoder decoder = new StackExchangeDecoder("155-questions-active");

  private static List<String> samples(String file) throws IOException {
    Path path = Path.of(System.getProperty("livegraph.shared"), "data", "stackexchange", file);
    return Files.readAllLines(path, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private Event question(String frame) {
    Result result = decoder.decode(frame, ARRIVAL);
    assertThat(result).isInstanceOf(Question.class);
    return ((Question) result).event();
  }

  private SkipReason skipReason(String frame) {
    Result result = decoder.decode(frame, ARRIVAL);
    assertThat(result).as("result of %s", frame).isInstanceOf(Skipped.class);
    return ((Skipped) result).reason();
  }

  /** Wraps an inner object as a frame of the subscribed channel, encoding it as a string. */
  private static String frame(String innerJson) {
    String escaped = innerJson.replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"action\":\"155-questions-active\",\"data\":\"" + escaped + "\"}";
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
  void sampleHeartbeat_isHeartbeat() throws IOException {
    assertThat(decoder.decode(samples("samples.jsonl").get(2), ARRIVAL)).isSameAs(Heartbeat.INSTANCE);
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
  void anotherSubscribedChannel_decodesItsQuestions() {
    StackExchangeDecoder java = new StackExchangeDecoder("1-questions-active");
    String frame = "{\"action\":\"1-questions-active\",\"data\":\"{\\\"apiSiteParameter\\\":\\\"stackoverflow\\\",\\\"titleEncodedFancy\\\":\\\"t\\\"}\"}";
    assertThat(java.decode(frame, ARRIVAL)).isInstanceOf(Question.class);
    assertThat(decoder.decode(frame, ARRIVAL)).isEqualTo(new Skipped(SkipReason.OTHER_CHANNEL));
  }

  @Test
  void minimalQuestion_hasEmptyTagsAndNoOptionalFields() {
    Event event = question(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\"}"));
    assertThat(event.fields())
        .containsOnly(Map.entry("apiSiteParameter", "diy"), Map.entry("title", "t"), Map.entry("tags", List.of()));
  }

  @Test
  void nullOptionalFields_areOmitted_unknownFieldsIgnored() {
    Event event =
        question(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\",\"id\":null,\"url\":null,"
            + "\"future\":{\"nested\":[1,2,{\"x\":true}]},\"more\":[\"a\"]}"));
    assertThat(event.fields()).containsOnlyKeys("apiSiteParameter", "title", "tags");
  }

  @Test
  void htmlEntities_areDecodedToLiteralText_notSanitised() {
    Event event =
        question(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":"
            + "\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;s&#39; caf&eacute;\","
            + "\"ownerDisplayName\":\"Tom &amp; Jerry\"}"));
    assertThat(event.string("title")).isEqualTo("<img src=x onerror=alert(1)> & \"q\" 's' café");
    assertThat(event.string("ownerDisplayName")).isEqualTo("Tom & Jerry");
  }

  @Test
  void notJson_truncated_trailingGarbage_areNotJson() {
    assertThat(skipReason("")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("hb")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\"")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\"} x")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\"}{}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason("[1,2")).isEqualTo(SkipReason.NOT_JSON);
    // The inner data of a subscribed channel must be JSON too.
    assertThat(skipReason("{\"action\":\"155-questions-active\",\"data\":\"679,081\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\""))).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\"} 1"))).isEqualTo(SkipReason.NOT_JSON);
  }

  @Test
  void wrongTypes_areWrongType() {
    assertThat(skipReason("[\"action\",\"hb\"]")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason("42")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason("{\"action\":7,\"data\":\"hb\"}")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason("{\"action\":\"155-questions-active\",\"data\":{\"apiSiteParameter\":\"diy\"}}"))
        .isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("[1]"))).isEqualTo(SkipReason.WRONG_TYPE);
    String valid = "\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\"";
    assertThat(skipReason(frame("{\"apiSiteParameter\":5,\"titleEncodedFancy\":\"t\"}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":[\"t\"]}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"tags\":\"java\"}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"tags\":[\"java\",3]}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"tags\":[\"java\",[\"x\"]]}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"id\":\"57991\"}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"id\":1.5}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"id\":123456789012345678901234567890}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"lastActivityDate\":true}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"url\":{}}"))).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipReason(frame("{" + valid + ",\"ownerDisplayName\":1}"))).isEqualTo(SkipReason.WRONG_TYPE);
  }

  @Test
  void missingRequiredFields_areMissingField() {
    assertThat(skipReason("{\"action\":\"155-questions-active\"}")).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipReason("{\"data\":\"hb\"}")).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipReason(frame("{\"titleEncodedFancy\":\"t\"}"))).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipReason(frame("{\"apiSiteParameter\":\"diy\"}"))).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipReason(frame("{\"apiSiteParameter\":null,\"titleEncodedFancy\":\"t\"}"))).isEqualTo(SkipReason.MISSING_FIELD);
  }

  @Test
  void framesOverOneMebibyte_areTooLarge_measuredInUtf8() {
    String padding = "x".repeat(StackExchangeDecoder.MAX_FRAME_BYTES);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\",\"pad\":\"" + padding + "\"}"))
        .isEqualTo(SkipReason.TOO_LARGE);

    // 400 000 chars of 'é' are 800 000 bytes: under the limit, though 3 * length is over it.
    String twoByteChars = "é".repeat(400_000);
    assertThat(decoder.decode("{\"action\":\"hb\",\"data\":\"hb\",\"pad\":\"" + twoByteChars + "\"}", ARRIVAL))
        .isSameAs(Heartbeat.INSTANCE);
    // 600 000 of them are 1 200 000 bytes: over the limit, though the length is under it.
    String tooMany = "é".repeat(600_000);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\",\"pad\":\"" + tooMany + "\"}"))
        .isEqualTo(SkipReason.TOO_LARGE);
  }

  @Test
  void deepNesting_isWrongType_withoutRecursing() {
    int depth = 100_000;
    String deep = "[".repeat(depth) + "]".repeat(depth);
    assertThat(skipReason("{\"action\":\"hb\",\"data\":\"hb\",\"deep\":" + deep + "}")).isEqualTo(SkipReason.WRONG_TYPE);
    String deepInner = "{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertThat(skipReason(frame(deepInner))).isEqualTo(SkipReason.WRONG_TYPE);

    String shallowInner = "{\"apiSiteParameter\":\"diy\",\"titleEncodedFancy\":\"t\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}";
    assertThat(decoder.decode(frame(shallowInner), ARRIVAL)).isInstanceOf(Question.class);
  }
}
