package livegraph.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The frames the emulator's faults send: a well-formed question to pad or break, and the bad
 * frames, each kind a list of variants. Tests send the same ones, so they know what went out.
 */
public final class FaultFrames {

  /** Nesting depth of {@link #deepNesting()}: above the source decoder's limit of 32. */
  public static final int DEEP = 40;

  /** Size of {@link #oversized()}: over the decoder's 1 MiB, under the source's 8 MiB wire limit. */
  public static final int OVERSIZED_BYTES = (1 << 20) + (1 << 18);

  private static final JsonFactory JSON = new JsonFactory();
  private static final String ACTIVE = Frames.ACTIVE_CHANNEL;

  private FaultFrames() {}

  /** A valid {@code 155-questions-active} frame for question {@code id} on {@code site}. */
  public static String question(String site, long id) {
    return Frames.frame(ACTIVE, questionData(site, id, ""));
  }

  /** Text that is not JSON: the frame cut short, its {@code data} cut short, and no JSON at all. */
  public static List<String> malformedJson() {
    String good = question("malformed", 1);
    return List.of(
        good.substring(0, good.length() / 2),
        Frames.frame(ACTIVE, "{\"apiSiteParameter\":\"malformed\",\"id\":"),
        Frames.frame(ACTIVE, "{'apiSiteParameter':'malformed'}"),
        "not JSON at all",
        "");
  }

  /** JSON of the wrong shape: {@code data} a number, a list, a string holding a string; the frame a list or a string. */
  public static List<String> wrongTypes() {
    return List.of(
        "{\"action\":\"" + ACTIVE + "\",\"data\":42}",
        "{\"action\":\"" + ACTIVE + "\",\"data\":[\"stackoverflow\",1]}",
        Frames.frame(ACTIVE, "\"a string, not a question\""),
        "[\"" + ACTIVE + "\",\"data\"]",
        "\"" + ACTIVE + "\"");
  }

  /**
   * Wrong types the decoder takes by design, so each is one event: {@code data} an object
   * rather than a string holding one (a payload may be either), and {@code siteBaseHostAddress}
   * a list (any field may be a list, as tags are). Both on {@code site}.
   */
  public static List<String> toleratedTypes(String site, long firstId) {
    String asObject = "{\"action\":\"" + ACTIVE + "\",\"data\":"
        + questionData(site, firstId, "") + "}";
    String hostList = Frames.frame(ACTIVE, questionData(site, firstId + 1, "")
        .replace("\"siteBaseHostAddress\":\"" + site + ".example\"",
            "\"siteBaseHostAddress\":[\"" + site + ".example\",\"another.example\"]"));
    return List.of(asObject, hostList);
  }

  /** Questions nested {@link #DEEP} deep: inside the {@code data} string, and in the frame itself. */
  public static List<String> deepNesting() {
    String nest = "[".repeat(DEEP) + "]".repeat(DEEP);
    String inner = questionData("deep", 1, "");
    String deepData = inner.substring(0, inner.length() - 1) + ",\"nested\":" + nest + "}";
    String frame = question("deep", 2);
    String deepFrame = frame.substring(0, frame.length() - 1) + ",\"nested\":" + nest + "}";
    return List.of(Frames.frame(ACTIVE, deepData), deepFrame);
  }

  /** One valid question frame of {@link #OVERSIZED_BYTES} bytes, padded in its body. */
  public static String oversized() {
    return oversized(OVERSIZED_BYTES);
  }

  /** One valid question frame of exactly {@code bytes} bytes (at least 1 KiB), padded in its body. */
  public static String oversized(int bytes) {
    String base = question("oversized", 1);
    if (bytes < 1024) {
      throw new IllegalArgumentException("bytes must be at least 1024: " + bytes);
    }
    int pad = bytes - base.length();
    // ASCII padding needs no escaping, so it adds exactly its length to the frame.
    return Frames.frame(ACTIVE, questionData("oversized", 1, "x".repeat(pad)));
  }

  /** A question frame's bytes with a byte that is never UTF-8 (0xFF) inside its title. */
  public static byte[] invalidUtf8() {
    byte[] good = question("invalid-utf8", 1).getBytes(StandardCharsets.UTF_8);
    int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("Question");
    good[at] = (byte) 0xFF;
    return good;
  }

  /** A valid question frame's bytes, for sending as a binary frame. */
  public static byte[] binary() {
    return question("binary", 1).getBytes(StandardCharsets.UTF_8);
  }

  private static String questionData(String site, long id, String body) {
    StringWriter out = new StringWriter(256 + body.length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("siteBaseHostAddress", site + ".example");
      g.writeNumberField("id", id);
      g.writeStringField("titleEncodedFancy", "Question " + id + " on " + site);
      g.writeStringField("bodySummary", body);
      g.writeArrayFieldStart("tags");
      g.writeString("fault");
      g.writeEndArray();
      g.writeNumberField("lastActivityDate", 1_700_000_000L);
      g.writeStringField("url", "https://" + site + ".example/questions/" + id + "/q");
      g.writeStringField("ownerDisplayName", "emulator");
      g.writeStringField("apiSiteParameter", site);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }
}
