package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import livegraph.pipeline.Event;
import livegraph.source.Decoding.Extract;
import livegraph.source.JsonEventDecoder.Decoded;
import livegraph.source.JsonEventDecoder.Heartbeat;
import livegraph.source.JsonEventDecoder.Result;
import livegraph.source.JsonEventDecoder.Skipped;
import org.junit.jupiter.api.Test;

class JsonEventDecoderTest {

  private static final long ARRIVAL = 1_700_000_000_123L;
  private static final Map<String, Object> NO_META = Map.of();

  private static Event event(JsonEventDecoder decoder, String text, Map<String, ?> meta) {
    Result result = decoder.decode(text, meta, ARRIVAL);
    assertThat(result).as("result of %s", text).isInstanceOf(Decoded.class);
    return ((Decoded) result).event();
  }

  private static Event event(JsonEventDecoder decoder, String text) {
    return event(decoder, text, NO_META);
  }

  private static SkipReason skipped(JsonEventDecoder decoder, String text) {
    Result result = decoder.decode(text, NO_META, ARRIVAL);
    assertThat(result).as("result of %s", text).isInstanceOf(Skipped.class);
    return ((Skipped) result).reason();
  }

  private static JsonEventDecoder fields(String... paths) {
    return new JsonEventDecoder(Decoding.fields(paths));
  }

  private static JsonEventDecoder timed(String timeField) {
    return new JsonEventDecoder(new Decoding(Map.of(), null, timeField, List.of(Extract.of("v"))));
  }

  @Test
  void wholeDocument_extractsByTheirOwnNames_absentFieldsAbsent() {
    Event e = event(fields("level", "/host", "missing"), "{\"level\":\"warn\",\"host\":\"a\",\"x\":1}");
    assertThat(e.timeMillis()).isEqualTo(ARRIVAL);
    assertThat(e.fields()).containsOnly(Map.entry("level", "warn"), Map.entry("/host", "a"));
  }

  @Test
  void pointerAndDottedPaths_reachNestedFieldsAndArrayIndexes() {
    JsonEventDecoder decoder = fields("/req/path", "req.status", "/tags/1", "tags.0", "/a~1b", "/c~0d");
    Event e = event(decoder,
        "{\"req\":{\"path\":\"/api\",\"status\":503},\"tags\":[\"x\",\"y\"],\"a/b\":1,\"c~d\":2}");
    assertThat(e.fields()).containsOnly(
        Map.entry("/req/path", "/api"),
        Map.entry("req.status", 503L),
        Map.entry("/tags/1", "y"),
        Map.entry("tags.0", "x"),
        Map.entry("/a~1b", 1L),
        Map.entry("/c~0d", 2L));
  }

  @Test
  void aliases_andHtmlUnescape_onlyWhereAsked() {
    JsonEventDecoder decoder = new JsonEventDecoder(new Decoding(Map.of(), null, null, List.of(
        new Extract("title", "/t", true),
        new Extract("raw", "/t", false),
        new Extract("n", "/n", true))));
    Event e = event(decoder, "{\"t\":\"Q &amp; A &lt;b&gt; caf&eacute;\",\"n\":5}");
    assertThat(e.fields()).containsOnly(
        Map.entry("title", "Q & A <b> café"),
        Map.entry("raw", "Q &amp; A &lt;b&gt; caf&eacute;"),
        Map.entry("n", 5L));
  }

  @Test
  void metaFields_comeFromTheSource_andSourceNameIsAlwaysCopied() {
    JsonEventDecoder decoder = fields("@topic", "v", "@absent");
    Event e = event(decoder, "{\"v\":1}", Map.of("@topic", "sensors/1", "@source", "mqtt1"));
    assertThat(e.fields()).containsOnly(
        Map.entry("@topic", "sensors/1"), Map.entry("v", 1L), Map.entry("@source", "mqtt1"));
  }

  @Test
  void numbers_integralAreLong_fractionalAreDouble_hugeIntegersBecomeDouble() {
    Event e = event(fields("i", "f", "neg", "e", "one", "big"),
        "{\"i\":3,\"f\":2.5,\"neg\":-7,\"e\":1e3,\"one\":1.0,\"big\":123456789012345678901234567890}");
    assertThat(e.fields().get("i")).isEqualTo(3L);
    assertThat(e.fields().get("neg")).isEqualTo(-7L);
    assertThat(e.fields().get("f")).isEqualTo(2.5);
    // A fraction or exponent in the JSON text makes a Double, whatever its value.
    assertThat(e.fields().get("e")).isEqualTo(1000.0);
    assertThat(e.fields().get("one")).isEqualTo(1.0);
    assertThat(e.fields().get("big")).isEqualTo(1.2345678901234568e29);
  }

  @Test
  void numbers_longerThanADoubleHolds_roundAsJavaReadsThem() {
    String digits = "0.1000000000000000055511151231257827021181583404541015625";
    Event e = event(fields("f", "i", "s"),
        "{\"f\":" + digits + ",\"i\":18905806732114479426531212960218269,\"s\":\"" + digits + "\"}");
    assertThat(e.fields().get("f")).isEqualTo(Double.parseDouble(digits));
    assertThat(e.fields().get("i")).isEqualTo(new java.math.BigInteger(
        "18905806732114479426531212960218269").doubleValue());
    assertThat(e.fields().get("s")).isEqualTo(digits);
  }

  @Test
  void aListOfNumbers_becomesTheirTexts_asJavaWritesThem() {
    Event e = event(fields("tags"),
        "{\"tags\":[123456789012345678901234567890,7,1.0,1e21,0.1,-0.0,true]}");
    assertThat(e.fields().get("tags")).isEqualTo(List.of(
        "123456789012345678901234567890", "7", "1.0", "1.0E21", "0.1", "-0.0", "true"));
  }

  @Test
  void repeatedField_theLastValueCounts() {
    assertThat(event(fields("a"), "{\"a\":1,\"a\":2}").fields()).containsEntry("a", 2L);
    JsonEventDecoder accepting = new JsonEventDecoder(
        new Decoding(Map.of("type", "t"), null, null, List.of(Extract.of("v"))));
    assertThat(skipped(accepting, "{\"type\":\"t\",\"type\":\"u\"}")).isEqualTo(SkipReason.OTHER_CHANNEL);
  }

  @Test
  void booleans_arrays_objects_andNull() {
    Event e = event(fields("b", "tags", "mixed", "obj", "nil", "empty"),
        "{\"b\":true,\"tags\":[\"a\",\"b\"],\"mixed\":[1,\"x\",true,null,{\"o\":1},[2]],"
            + "\"obj\":{\"k\":1},\"nil\":null,\"empty\":[]}");
    assertThat(e.fields()).containsOnly(
        Map.entry("b", true),
        Map.entry("tags", List.of("a", "b")),
        Map.entry("mixed", List.of("1", "x", "true")), // scalars as text; null and containers left out
        Map.entry("empty", List.of()));
  }

  @Test
  void accept_matchesTheOuterDocument_othersAreOtherChannel() {
    JsonEventDecoder decoder = new JsonEventDecoder(new Decoding(
        Map.of("type", "trade", "/meta/venue", "x"), null, null, List.of(Extract.of("p"))));
    assertThat(event(decoder, "{\"type\":\"trade\",\"meta\":{\"venue\":\"x\"},\"p\":1}").fields())
        .containsEntry("p", 1L);
    assertThat(skipped(decoder, "{\"type\":\"quote\",\"meta\":{\"venue\":\"x\"},\"p\":1}"))
        .isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipped(decoder, "{\"type\":\"trade\",\"p\":1}")).isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipped(decoder, "{\"type\":null,\"meta\":{\"venue\":\"x\"}}")).isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipped(decoder, "{\"type\":[\"trade\"],\"meta\":{\"venue\":\"x\"}}"))
        .isEqualTo(SkipReason.OTHER_CHANNEL);
  }

  @Test
  void payload_asObject_orAsStringEncodedJson_extractsFromTheInnerDocument() {
    JsonEventDecoder decoder = new JsonEventDecoder(new Decoding(
        Map.of("action", "q"), "/data", null, List.of(Extract.of("site"), Extract.of("/action"))));
    assertThat(event(decoder, "{\"action\":\"q\",\"data\":{\"site\":\"diy\"}}").fields())
        .containsOnly(Map.entry("site", "diy"));
    assertThat(event(decoder, "{\"action\":\"q\",\"data\":\"{\\\"site\\\":\\\"math\\\"}\"}").fields())
        .as("accept reads the outer document, extracts the inner one")
        .containsOnly(Map.entry("site", "math"));
  }

  @Test
  void payload_missingIsMissingField_badInnerTextIsNotJson_nonObjectIsWrongType() {
    JsonEventDecoder decoder = new JsonEventDecoder(new Decoding(Map.of(), "data", null, List.of()));
    assertThat(skipped(decoder, "{\"x\":1}")).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipped(decoder, "{\"data\":null}")).isEqualTo(SkipReason.MISSING_FIELD);
    assertThat(skipped(decoder, "{\"data\":\"679,081\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"data\":\"{\\\"a\\\":1\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"data\":\"\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"data\":\"[1]\"}")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "{\"data\":\"\\\"text\\\"\"}")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "{\"data\":5}")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "{\"data\":[{}]}")).isEqualTo(SkipReason.WRONG_TYPE);
  }

  @Test
  void timeField_epochSeconds_epochMillis_isoInstants_numericStrings() {
    assertThat(event(timed("ts"), "{\"ts\":1700000000}").timeMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(event(timed("ts"), "{\"ts\":1700000000.25}").timeMillis()).isEqualTo(1_700_000_000_250L);
    assertThat(event(timed("ts"), "{\"ts\":1700000000123}").timeMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(event(timed("ts"), "{\"ts\":\"1700000000\"}").timeMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(event(timed("ts"), "{\"ts\":\"2023-11-14T22:13:20Z\"}").timeMillis())
        .isEqualTo(1_700_000_000_000L);
    assertThat(event(timed("ts"), "{\"ts\":\"2023-11-14T23:13:20.5+01:00\"}").timeMillis())
        .isEqualTo(1_700_000_000_500L);
    assertThat(event(timed("/meta/at"), "{\"meta\":{\"at\":1700000000}}").timeMillis())
        .isEqualTo(1_700_000_000_000L);
  }

  @Test
  void timeField_beyondTheRangeOfALong_isTheLatestTimeThereIs() {
    // The browser build's cast does not saturate; the decoder must say what the JVM's does.
    assertThat(event(timed("ts"), "{\"ts\":1e30}").timeMillis()).isEqualTo(Long.MAX_VALUE);
    assertThat(event(timed("ts"), "{\"ts\":123456789012345678901234567890}").timeMillis())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(event(timed("ts"), "{\"ts\":\"9.3e18\"}").timeMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void timeField_tooLargeForADouble_isNoTime_soArrivalTime() {
    assertThat(event(timed("ts"), "{\"ts\":1e400}").timeMillis()).isEqualTo(ARRIVAL);
  }

  @Test
  void timeField_absentOrNull_meansArrivalTime() {
    assertThat(event(timed("ts"), "{\"v\":1}").timeMillis()).isEqualTo(ARRIVAL);
    assertThat(event(timed("ts"), "{\"ts\":null}").timeMillis()).isEqualTo(ARRIVAL);
  }

  @Test
  void timeField_unreadable_isBadTime() {
    assertThat(skipped(timed("ts"), "{\"ts\":\"yesterday\"}")).isEqualTo(SkipReason.BAD_TIME);
    assertThat(skipped(timed("ts"), "{\"ts\":\"2023-11-14 22:13\"}")).isEqualTo(SkipReason.BAD_TIME);
    assertThat(skipped(timed("ts"), "{\"ts\":-5}")).isEqualTo(SkipReason.BAD_TIME);
    assertThat(skipped(timed("ts"), "{\"ts\":true}")).isEqualTo(SkipReason.BAD_TIME);
  }

  @Test
  void timeField_fromMeta() {
    JsonEventDecoder decoder = timed("@at");
    assertThat(event(decoder, "{\"v\":1}", Map.of("@at", "2023-11-14T22:13:20Z")).timeMillis())
        .isEqualTo(1_700_000_000_000L);
  }

  @Test
  void notJson_emptyTruncatedOrTrailingGarbage() {
    JsonEventDecoder decoder = fields("a");
    assertThat(skipped(decoder, "")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "   ")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "hb")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1} x")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1}{}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{'a':1}")).isEqualTo(SkipReason.NOT_JSON);
  }

  @Test
  void wrongType_whenTheMessageIsNotAnObject() {
    JsonEventDecoder decoder = fields("a");
    assertThat(skipped(decoder, "[1,2]")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "42")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "\"text\"")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(skipped(decoder, "null")).isEqualTo(SkipReason.WRONG_TYPE);
  }

  @Test
  void tooLarge_overOneMebibyteOfText() {
    JsonEventDecoder decoder = fields("a");
    String justUnder = "{\"a\":\"" + "x".repeat(JsonEventDecoder.MAX_CHARS - 8) + "\"}";
    assertThat(justUnder.length()).isLessThanOrEqualTo(JsonEventDecoder.MAX_CHARS);
    assertThat(decoder.decode(justUnder, NO_META, ARRIVAL)).isInstanceOf(Decoded.class);
    String over = "{\"a\":\"" + "x".repeat(JsonEventDecoder.MAX_CHARS) + "\"}";
    assertThat(skipped(decoder, over)).isEqualTo(SkipReason.TOO_LARGE);
    assertThat(skipped(decoder, "{\"a\":" + "9".repeat(5000) + "}"))
        .as("a number longer than the parser allows").isEqualTo(SkipReason.TOO_LARGE);
  }

  @Test
  void tooDeep_beyondThirtyTwoLevels_withoutRecursing_atBothLevels() {
    JsonEventDecoder decoder = fields("a");
    int depth = 100_000;
    assertThat(skipped(decoder, "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}"))
        .isEqualTo(SkipReason.TOO_DEEP);
    String ok = "{\"a\":1,\"x\":" + "[".repeat(30) + "]".repeat(30) + "}";
    assertThat(decoder.decode(ok, NO_META, ARRIVAL)).isInstanceOf(Decoded.class);

    JsonEventDecoder inner = new JsonEventDecoder(new Decoding(Map.of(), "/data", null, List.of()));
    String deepInner = "{\\\"x\\\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertThat(skipped(inner, "{\"data\":\"" + deepInner + "\"}")).isEqualTo(SkipReason.TOO_DEEP);
  }

  @Test
  void heartbeatRule_winsBeforeAccept_andNeedsEveryField() {
    Decoding decoding = new Decoding(Map.of("action", "q"), "/data", null, List.of(Extract.of("a")));
    JsonEventDecoder decoder = new JsonEventDecoder(decoding, Map.of("action", "hb", "/data", "hb"));
    assertThat(decoder.decode("{\"action\":\"hb\",\"data\":\"hb\"}", NO_META, ARRIVAL))
        .isSameAs(Heartbeat.INSTANCE);
    assertThat(skipped(decoder, "{\"action\":\"hb\",\"data\":\"other\"}")).isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipped(decoder, "[\"hb\"]")).isEqualTo(SkipReason.WRONG_TYPE);
    assertThat(event(decoder, "{\"action\":\"q\",\"data\":{\"a\":1}}").fields()).containsOnly(Map.entry("a", 1L));
    // Without a rule, nothing is a heartbeat.
    assertThat(skipped(new JsonEventDecoder(decoding), "{\"action\":\"hb\",\"data\":\"hb\"}"))
        .isEqualTo(SkipReason.OTHER_CHANNEL);
  }

  @Test
  void demand_extractsOnlyTheWantedFields_andAChangeTakesEffectOnTheNextMessage() {
    FieldDemand demand = FieldDemand.of(java.util.Set.of("site"));
    Decoding decoding = new Decoding(Map.of(), "/data", "t", List.of(
        Extract.of("site"), new Extract("owner", "/owner/name", true), Extract.of("tags")));
    JsonEventDecoder decoder = new JsonEventDecoder(decoding, Map.of(), demand);
    String frame = "{\"data\":\"{\\\"site\\\":\\\"diy\\\",\\\"t\\\":1700000000,"
        + "\\\"owner\\\":{\\\"name\\\":\\\"A &amp; B\\\"},\\\"tags\\\":[\\\"x\\\"]}\"}";
    Event narrow = event(decoder, frame, Map.of("@source", "se"));
    assertThat(narrow.fields()).containsOnly(Map.entry("site", "diy"), Map.entry("@source", "se"));
    assertThat(narrow.timeMillis()).as("the time field is read whatever the demand")
        .isEqualTo(1_700_000_000_000L);

    demand.set(java.util.Set.of("owner", "tags"));
    assertThat(event(decoder, frame).fields())
        .containsOnly(Map.entry("owner", "A & B"), Map.entry("tags", List.of("x")));
    assertThat(event(new JsonEventDecoder(decoding), frame).fields())
        .as("without a demand, every extract").containsOnlyKeys("site", "owner", "tags");
  }

  @Test
  void fieldsNotRead_stillMakeAMessageUnreadable_asWhenEveryFieldWasBuilt() {
    JsonEventDecoder decoder = fields("a");
    assertThat(skipped(decoder, "{\"a\":1,\"x\":{\"y\":[1,2,}]}}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":\"unterminated}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":\"bad \\q escape\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":tru}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":[" + "[".repeat(40) + "]".repeat(40) + "]}"))
        .isEqualTo(SkipReason.TOO_DEEP);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":" + "9".repeat(5000) + "}"))
        .isEqualTo(SkipReason.TOO_LARGE);
    assertThat(skipped(decoder, "{\"a\":1,\"x\":[" + "9".repeat(5000) + ".5]}"))
        .isEqualTo(SkipReason.TOO_LARGE);
    JsonEventDecoder inner = new JsonEventDecoder(
        new Decoding(Map.of(), "/data", null, List.of(Extract.of("a"))));
    assertThat(skipped(inner, "{\"data\":\"{\\\"a\\\":1,\\\"x\\\":[}\"}"))
        .isEqualTo(SkipReason.NOT_JSON);
  }

  @Test
  void repeatedPayloadOrParent_theLastOneCounts_withNothingLeftFromTheFirst() {
    JsonEventDecoder decoder = new JsonEventDecoder(
        new Decoding(Map.of(), "/data", null, List.of(Extract.of("/o/n"), Extract.of("/l/1"))));
    assertThat(event(decoder, "{\"data\":{\"o\":{\"n\":1},\"o\":{\"m\":2},\"l\":[1,2],\"l\":[3]}}")
            .fields())
        .isEmpty();
    assertThat(event(decoder, "{\"data\":\"{\\\"o\\\":{\\\"n\\\":1}}\",\"data\":{\"o\":{\"n\":2}}}")
            .fields())
        .containsOnly(Map.entry("/o/n", 2L));
    assertThat(skipped(decoder, "{\"data\":{\"o\":{\"n\":2}},\"data\":\"[}\"}"))
        .isEqualTo(SkipReason.NOT_JSON);
  }

  @Test
  void payloadString_isReadOnlyForAnAcceptedMessage_andKeepsTheOrderOfVerdicts() {
    JsonEventDecoder decoder = new JsonEventDecoder(
        new Decoding(Map.of("action", "q"), "/data", null, List.of(Extract.of("a"))));
    assertThat(skipped(decoder, "{\"data\":\"[}\",\"action\":\"other\"}"))
        .as("a bad payload of another channel is another channel's").isEqualTo(SkipReason.OTHER_CHANNEL);
    assertThat(skipped(decoder, "{\"data\":\"[}\",\"action\":\"q\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"data\":\"{}\",\"action\":\"q\",}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(event(decoder, "{\"data\":\"{\\\"a\\\":\\\"\\\\u00e9\\\"}\",\"action\":\"q\"}")
            .fields())
        .as("escapes at both levels").containsOnly(Map.entry("a", "\u00e9"));
  }

  @Test
  void classify_givesDecodesOuterVerdict_andNullWhereDecodeReadsThePayload() {
    Decoding decoding = new Decoding(Map.of("action", "q"), "/data", "t", List.of(Extract.of("a")));
    JsonEventDecoder decoder = new JsonEventDecoder(decoding, Map.of("action", "hb"));
    String deep = "{\"action\":\"q\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    String huge = "{\"action\":\"q\",\"data\":\"" + "x".repeat(JsonEventDecoder.MAX_CHARS) + "\"}";
    // Decided by the outer document: the same verdict as decode's.
    for (String text : List.of("{\"action\":\"hb\",\"data\":\"[}\"}", "", " ", "not json",
        "{\"action\":\"q\",\"data\":\"{}\"", "{\"action\":\"q\"} x", "[1]", "\"q\"",
        "{\"action\":\"other\",\"data\":\"{}\"}", "{\"action\":1}", deep, huge)) {
      Result decoded = decoder.decode(text, NO_META, ARRIVAL);
      assertThat(decoded).as("decode of %.40s", text).isNotInstanceOf(Decoded.class);
      assertThat(decoder.classify(text)).as("classify of %.40s", text).isEqualTo(decoded);
    }
    // Read on by decode: an event, or a fault inside the payload, which classify cannot see.
    assertThat(decoder.classify("{\"action\":\"q\",\"data\":\"{\\\"a\\\":1}\"}")).isNull();
    assertThat(decoder.classify("{\"action\":\"q\",\"data\":\"[}\"}")).isNull();
    assertThat(decoder.classify("{\"action\":\"q\"}")).isNull();
    assertThat(decoder.classify("{\"action\":\"q\",\"data\":{\"t\":\"soon\"}}")).isNull();
    assertThat(skipped(decoder, "{\"action\":\"q\",\"data\":\"[}\"}")).isEqualTo(SkipReason.NOT_JSON);
    assertThat(skipped(decoder, "{\"action\":\"q\"}")).isEqualTo(SkipReason.MISSING_FIELD);
  }

  @Test
  void metaFields_cannotBeMatchedOnTheDocument() {
    assertThatThrownBy(() -> new JsonEventDecoder(
            new Decoding(Map.of("@topic", "x"), null, null, List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@topic");
    assertThatThrownBy(() -> new JsonEventDecoder(
            new Decoding(Map.of(), "@topic", null, List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@topic");
  }

  @Test
  void decoder_isSharedSafely_acrossThreads() throws Exception {
    JsonEventDecoder decoder = fields("n");
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      int base = t * 10_000;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          Result r = decoder.decode("{\"n\":" + (base + i) + "}", NO_META, ARRIVAL);
          if (!(r instanceof Decoded d) || !d.event().fields().get("n").equals((long) base + i)) {
            wrong.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(wrong).hasValue(0);
  }
}
