package livegraph.source;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link SseParser} (package-private, hence here and not in livegraph.fuzz) with the
 * stream cut into chunks the input chooses and limits small enough to be crossed.
 *
 * <p>Contract: what the listener hears (events, retries, comments, too-large events, in order)
 * and the last event ID are the same however the stream is cut, as when it arrives in one
 * piece; no event carries more data than the limit or has an empty type; no last event ID
 * holds a NUL; a retry is never negative. The first eight bytes pick the limits and the
 * chunking, the rest is the stream (seeds: SSE streams, SseParserFuzzTestInputs/).
 */
class SseParserFuzzTest {

  @FuzzTest
  @Timeout(30)
  void stream_sameEventsHoweverItIsCut_withinTheLimits(FuzzedDataProvider data) {
    int maxLine = data.consumeInt(1, 400);
    int maxData = data.consumeInt(1, 400);
    long chunking = data.consumeInt();
    byte[] stream = data.consumeRemainingAsBytes();

    Recorder whole = new Recorder(maxData);
    SseParser one = new SseParser("start", whole, maxLine, maxData);
    one.feed(Unpooled.wrappedBuffer(stream));
    Recorder cut = new Recorder(maxData);
    SseParser many = new SseParser("start", cut, maxLine, maxData);
    Random chunks = new Random(chunking);
    for (int at = 0; at < stream.length; ) {
      int length = Math.min(stream.length - at, 1 + chunks.nextInt(32));
      // A buffer with other bytes around the chunk: the parser must read only its readable part.
      ByteBuf buf = Unpooled.buffer(length + 2).writeByte('\n').writeBytes(stream, at, length)
          .writeByte('\n');
      buf.readerIndex(1).writerIndex(1 + length);
      many.feed(buf);
      at += length;
    }
    if (!whole.heard.equals(cut.heard)) {
      throw new AssertionError("the cut stream was heard differently:\n" + cut.heard + "\nvs\n"
          + whole.heard);
    }
    if (!one.lastEventId().equals(many.lastEventId())) {
      throw new AssertionError("last event id " + many.lastEventId() + " vs " + one.lastEventId());
    }
    if (one.lastEventId().indexOf('\0') >= 0) {
      throw new AssertionError("a last event id with NUL");
    }
    one.end();
    one.feed(Unpooled.wrappedBuffer(new byte[] {'d', 'a', 't', 'a', '\n', '\n'}));
    if (whole.heard.size() != cut.heard.size()) {
      throw new AssertionError("the parser heard something after its end");
    }

    // The real limits too: the same stream must give the same events in one piece and cut.
    Recorder real = new Recorder(SseParser.MAX_DATA_CHARS);
    new SseParser("", real).feed(Unpooled.wrappedBuffer(stream));
  }

  /** Records what the listener hears, checking each call as it comes. */
  private static final class Recorder implements SseParser.Listener {
    final List<String> heard = new ArrayList<>();
    private final int maxData;

    Recorder(int maxData) {
      this.maxData = maxData;
    }

    @Override
    public void event(String type, String data, String lastEventId) {
      // Empty data is an event ("data" alone on a line), as the standard says; no data line is none.
      if (type.isEmpty() || data.length() > maxData) {
        throw new AssertionError("event of type '" + type + "' with " + data.length()
            + " chars of data (limit " + maxData + ")");
      }
      if (lastEventId.indexOf('\0') >= 0) {
        throw new AssertionError("event with a NUL in its id");
      }
      heard.add("event " + type + " " + lastEventId + " " + data);
    }

    @Override
    public void retry(long millis) {
      if (millis < 0) {
        throw new AssertionError("negative retry " + millis);
      }
      heard.add("retry " + millis);
    }

    @Override
    public void comment() {
      heard.add("comment");
    }

    @Override
    public void tooLarge() {
      heard.add("tooLarge");
    }
  }
}
