package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream rules of the HTML standard, one at a time, plus our bounds. */
class SseParserTest {

  /** Records what the parser reports, as short strings. */
  private static final class Recorder implements SseParser.Listener {
    final List<String> seen = new ArrayList<>();

    @Override
    public void event(String type, String data, String lastEventId) {
      seen.add(type + "|" + data + "|" + lastEventId);
    }

    @Override
    public void retry(long millis) {
      seen.add("retry " + millis);
    }

    @Override
    public void comment() {
      seen.add("comment");
    }

    @Override
    public void tooLarge() {
      seen.add("too large");
    }
  }

  private final Recorder recorder = new Recorder();
  private SseParser parser = new SseParser("", recorder);

  private void feed(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      parser.feed(buf);
      assertThat(buf.readerIndex()).as("the parser does not consume the buffer").isZero();
    } finally {
      buf.release();
    }
  }

  private void feed(String text) {
    feed(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The same stream one byte at a time: every chunk boundary is exercised. */
  private void feedByteByByte(String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      feed(new byte[] {b});
    }
  }

  private List<String> parse(String stream) {
    feed(stream);
    return recorder.seen;
  }

  @Test
  void dataLines_areJoinedWithLineFeeds_andABlankLineDispatches() {
    assertThat(parse("data: YHOO\ndata: +2\ndata: 10\n\n")).containsExactly("message|YHOO\n+2\n10|");
  }

  @Test
  void eventType_defaultsToMessage_andIsResetAfterEachEvent() {
    assertThat(parse("event: add\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n"))
        .containsExactly("add|1|", "message|2|", "message|3|");
  }

  @Test
  void lineEndings_crlf_lf_andCr_allEndALine() {
    assertThat(parse("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\ndata: e\n\r\n"))
        .containsExactly("message|a|", "message|b|", "message|c|", "message|d\ne|");
  }

  @Test
  void crAndLfInDifferentChunks_areOneLineEnd() {
    feed("data: a\r");
    feed("\ndata: b\r");
    feed("\n\r");
    feed("\n");
    assertThat(recorder.seen).containsExactly("message|a\nb|");
  }

  @Test
  void everyRule_holdsWhenTheStreamArrivesOneByteAtATime() {
    feedByteByByte("id: 7\r\nevent: t\r\ndata: caf\u00e9 \u20ac \ud83d\ude00\r\n: c\r\nretry: 50\r\n\r\n");
    assertThat(recorder.seen).containsExactly("comment", "retry 50", "t|caf\u00e9 \u20ac \ud83d\ude00|7");
  }

  @Test
  void oneLeadingSpace_isStrippedFromTheValue_notMore() {
    assertThat(parse("data:x\n\ndata: x\n\ndata:  x\n\ndata: a: b\n\n"))
        .containsExactly("message|x|", "message|x|", "message| x|", "message|a: b|");
  }

  @Test
  void fieldWithoutColon_hasAnEmptyValue() {
    // The standard's own example: two events, "" and "\n"; the last "data:" never ends.
    feed("data\n\ndata\ndata\n\ndata:");
    parser.end();
    assertThat(recorder.seen).containsExactly("message||", "message|\n|");
  }

  @Test
  void commentLines_areReported_andDispatchNothing() {
    assertThat(parse(": keep-alive\n:\n:: x\n\n")).containsExactly("comment", "comment", "comment");
  }

  @Test
  void eventWithoutData_isNotDispatched() {
    assertThat(parse("event: x\n\n\n\ndata: 1\n\n")).containsExactly("message|1|");
  }

  @Test
  void unknownFields_andOtherCapitalisation_areIgnored() {
    assertThat(parse("foo: bar\nData: x\nDATA: y\ndata: z\n\n")).containsExactly("message|z|");
  }

  @Test
  void id_isRemembered_untilTheServerChangesIt() {
    assertThat(parse("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n"))
        .containsExactly("message|a|1", "message|b|1", "message|c|2");
    assertThat(parser.lastEventId()).isEqualTo("2");
  }

  @Test
  void emptyId_resetsTheLastEventId() {
    assertThat(parse("id: 1\ndata: a\n\nid\ndata: b\n\n")).containsExactly("message|a|1", "message|b|");
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  void idContainingNul_isIgnored() {
    assertThat(parse("id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n"))
        .containsExactly("message|a|1", "message|b|1");
  }

  @Test
  void idOfAnEventWithoutData_stillCounts_whenItsBlankLineArrives() {
    assertThat(parse("id: 5\n\n")).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("5");
  }

  @Test
  void idOfAnUnfinishedEvent_doesNotCount() {
    feed("id: 1\ndata: a\n\nid: 2\ndata: b\n");
    parser.end();
    assertThat(recorder.seen).containsExactly("message|a|1");
    assertThat(parser.lastEventId()).isEqualTo("1");
  }

  @Test
  void lastEventId_startsFromThePreviousConnections() {
    parser = new SseParser("41", recorder);
    assertThat(parse("data: a\n\n")).containsExactly("message|a|41");
    assertThat(parser.lastEventId()).isEqualTo("41");
  }

  @Test
  void retry_withOnlyDigits_setsTheReconnectionTime_otherValuesAreIgnored() {
    assertThat(parse("retry: 2500\nretry: 1x\nretry: -1\nretry:\nretry: 1.5\nretry: 0\n"
        + "retry: 99999999999999999999999\n"))
        .containsExactly("retry 2500", "retry 0", "retry " + Long.MAX_VALUE);
  }

  @Test
  void partialEvent_andPartialLine_areDiscardedAtTheEnd() {
    feed("data: whole\n\ndata: half\n");
    feed("data: no line end");
    parser.end();
    feed("\n\n"); // nothing is parsed after the end
    assertThat(recorder.seen).containsExactly("message|whole|");
  }

  @Test
  void byteOrderMark_isDroppedAtTheStart_only() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    feed(bom);
    feed("data: a\n\ndata: \ufeffb\n\n");
    assertThat(recorder.seen).containsExactly("message|a|", "message|\ufeffb|");
  }

  @Test
  void invalidUtf8_becomesReplacementCharacters() {
    feed(new byte[] {'d', 'a', 't', 'a', ':', ' ', 'x', (byte) 0xFF, 'y', (byte) 0xC3, '\n', '\n'});
    assertThat(recorder.seen).containsExactly("message|x\ufffdy\ufffd|");
  }

  @Test
  void multiByteCharacterSplitAcrossChunks_isDecodedWhole() {
    byte[] euro = "data: \u20ac\n\n".getBytes(StandardCharsets.UTF_8);
    feed(java.util.Arrays.copyOfRange(euro, 0, 7));
    feed(java.util.Arrays.copyOfRange(euro, 7, euro.length));
    assertThat(recorder.seen).containsExactly("message|\u20ac|");
  }

  @Test
  void dataOverTheLimit_isOneTooLarge_andTheNextEventIsFine() {
    parser = new SseParser("", recorder, 100, 10);
    feed("data: 12345\ndata: 6789\n\n"); // 10 chars with the LF between: at the limit
    feed("data: 12345\ndata: 67890\ndata: more\nid: 3\n\n"); // 11: over
    feed("data: ok\n\n");
    assertThat(recorder.seen).containsExactly("message|12345\n6789|", "too large", "message|ok|3");
  }

  @Test
  void lineOverTheLimit_makesItsEventTooLarge_withoutBufferingTheRest() {
    parser = new SseParser("", recorder, 16, 1000);
    feed("data: a\n");
    feed("data: " + "x".repeat(10));
    feed("y".repeat(1000)); // discarded as it arrives
    feed("\ndata: b\n\n");
    feed("data: fine\n\n");
    assertThat(recorder.seen).containsExactly("too large", "message|fine|");
  }

  @Test
  void overlongComment_isStillOnlyAComment() {
    parser = new SseParser("", recorder, 16, 1000);
    feed(":" + "x".repeat(100) + "\ndata: a\n\n");
    assertThat(recorder.seen).containsExactly("comment", "message|a|");
  }

  @Test
  void defaultLimits_areOneMebibyteOfData() {
    feed("data: " + "x".repeat(SseParser.MAX_DATA_CHARS) + "\n\n");
    feed("data: " + "x".repeat(SseParser.MAX_DATA_CHARS + 1) + "\n\n");
    assertThat(recorder.seen).hasSize(2);
    assertThat(recorder.seen.get(0)).hasSize("message||".length() + SseParser.MAX_DATA_CHARS);
    assertThat(recorder.seen.get(1)).isEqualTo("too large");
  }
}
