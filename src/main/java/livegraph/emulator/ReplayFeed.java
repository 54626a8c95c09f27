package livegraph.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays back a JSON-lines file of recorded frames, streaming it line by line.
 *
 * <p>Two line formats, which may be mixed:
 * <ul>
 *   <li>{@code {"at": <epoch millis>, "frame": "<raw frame text>"}}, as written by
 *       {@link #recordLine}; replayed with the recorded gaps divided by {@code speed}. The
 *       frame text is replayed exactly as recorded, even if it is not valid JSON, so
 *       recordings of malformed upstream frames stay useful.</li>
 *   <li>a bare raw frame {@code {"action": ..., "data": ...}}; replayed
 *       {@value #BARE_GAP_MILLIS} ms / {@code speed} apart.</li>
 * </ul>
 * Blank lines are skipped; heartbeat frames are dropped (the emulator makes its own); any
 * other line that fits neither format is skipped, counted in {@link #skippedLines()} and
 * logged, never thrown. Reading stops quietly at the end of the file or on a read error.
 * Not thread-safe; the emulator calls it from one thread.
 */
public final class ReplayFeed implements Feed, Closeable {

  static final long BARE_GAP_MILLIS = 250;
  // Longest line kept; longer lines are skipped as bad, so one huge line cannot exhaust memory.
  static final int MAX_LINE_CHARS = 1 << 20;
  // Warnings for bad lines: the first few in full, then one per this many, so a broken file
  // does not flood the log.
  private static final int WARN_IN_FULL = 10;
  private static final int WARN_EVERY = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(ReplayFeed.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final double speed;
  private final BoundedLineReader lines;
  private long skippedLines;
  private long heartbeatsDropped;
  private long framesRead;
  private long lastAtMillis = Long.MIN_VALUE; // "at" of the last replayed recorded frame
  private boolean ended;

  private ReplayFeed(Path file, double speed) throws IOException {
    this.file = file;
    this.speed = speed;
    // Undecodable bytes become U+FFFD instead of failing the whole replay.
    this.lines = new BoundedLineReader(new InputStreamReader(Files.newInputStream(file),
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)), MAX_LINE_CHARS);
  }

  /**
   * Opens {@code jsonl} for replay at {@code speed} times the recorded pace (2.0 = twice as
   * fast). Throws if the file cannot be opened or {@code speed} is not positive.
   */
  public static ReplayFeed open(Path jsonl, double speed) throws IOException {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be positive and finite: " + speed);
    }
    return new ReplayFeed(jsonl, speed);
  }

  /** One line of the recording format: {@code {"at":<atMillis>,"frame":"<frame>"}}. */
  public static String recordLine(long atMillis, String frame) {
    StringWriter out = new StringWriter(frame.length() + 48);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("at", atMillis);
      g.writeStringField("frame", frame);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  @Override
  public Optional<Timed> next() {
    while (!ended) {
      BoundedLineReader.Line line;
      try {
        line = lines.next();
      } catch (IOException e) {
        LOG.warn("{}: read failed after line {}, replay ends: {}", file, framesRead, e.toString());
        line = null;
      }
      if (line == null) {
        end();
        break;
      }
      Optional<Timed> timed = parse(line);
      if (timed.isPresent()) {
        framesRead++;
        return timed;
      }
    }
    return Optional.empty();
  }

  /** Lines skipped because they fit neither format (or were too long). */
  public long skippedLines() {
    return skippedLines;
  }

  /** Heartbeat frames found in the file and not replayed. */
  public long heartbeatsDropped() {
    return heartbeatsDropped;
  }

  @Override
  public void close() {
    end();
  }

  private Optional<Timed> parse(BoundedLineReader.Line line) {
    if (line.tooLong()) {
      return skip(line, "longer than " + MAX_LINE_CHARS + " characters");
    }
    String text = line.text().strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (IOException e) {
      return skip(line, "not JSON");
    }
    if (node == null || !node.isObject()) {
      return skip(line, "not a JSON object");
    }
    JsonNode at = node.get("at");
    JsonNode frame = node.get("frame");
    if (at != null && frame != null) {
      if (!at.canConvertToLong() || !frame.isTextual()) {
        return skip(line, "\"at\" must be a number and \"frame\" a string");
      }
      return recorded(at.asLong(), frame.asText());
    }
    JsonNode action = node.get("action");
    if (action != null && action.isTextual() && node.has("data")) {
      if ("hb".equals(action.asText())) {
        heartbeatsDropped++;
        return Optional.empty();
      }
      return Optional.of(new Timed(framesRead == 0 ? 0 : scaled(BARE_GAP_MILLIS), text));
    }
    return skip(line, "neither {\"at\",\"frame\"} nor {\"action\",\"data\"}");
  }

  private Optional<Timed> recorded(long atMillis, String frame) {
    if (Frames.isHeartbeat(frame)) {
      // lastAtMillis stays at the last replayed frame, so the gap is kept in total.
      heartbeatsDropped++;
      return Optional.empty();
    }
    long delay;
    if (lastAtMillis == Long.MIN_VALUE) {
      delay = framesRead == 0 ? 0 : scaled(BARE_GAP_MILLIS);
    } else {
      // A clock that stepped back in the recording gives no pause rather than an error.
      delay = scaled(Math.max(0, atMillis - lastAtMillis));
    }
    lastAtMillis = atMillis;
    return Optional.of(new Timed(delay, frame));
  }

  private long scaled(long millis) {
    return (long) (TimeUnit.MILLISECONDS.toNanos(millis) / speed);
  }

  private Optional<Timed> skip(BoundedLineReader.Line line, String why) {
    skippedLines++;
    if (skippedLines <= WARN_IN_FULL || skippedLines % WARN_EVERY == 0) {
      LOG.warn("{}:{}: skipped line ({}); {} skipped so far", file, line.number(), why,
          skippedLines);
    }
    return Optional.empty();
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      lines.close();
    } catch (IOException e) {
      LOG.debug("{}: close failed: {}", file, e.toString());
    }
  }
}
