package livegraph.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ClientMessage#parse} (package-private, hence here and not in livegraph.fuzz), the
 * only reader of what a browser sends over the WebSocket.
 *
 * <p>Contract: every text becomes a {@code Resume} with a non-negative seq, a {@code View} that
 * is whole or has a non-empty field and both texts within {@link
 * ClientMessage#MAX_FILTER_TEXT}, or an {@code Invalid} with a short reason for the page; never
 * an exception. An accepted message written back as JSON parses to the same message. The last
 * byte picks the mode: 0 the rest is the message; 1 a message is built from it, with the type,
 * seq and filter the input gives, so the fuzzer spends its time past the JSON syntax. Seeds:
 * PROTOCOL.md's client messages (ClientMessageFuzzTestInputs/).
 */
class ClientMessageFuzzTest {

  private static final String[] TYPES = {"resume", "view", "hello", "", "Resume"};

  @FuzzTest
  @Timeout(30)
  void message_parsesOrIsInvalidWithAReason(FuzzedDataProvider data) {
    String text;
    if (data.consumeInt(0, 1) == 0) {
      text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    } else {
      StringBuilder json = new StringBuilder("{");
      json.append("\"type\":").append(quoted(TYPES[data.consumeInt(0, TYPES.length - 1)]));
      switch (data.consumeInt(0, 3)) {
        case 0 -> json.append(",\"seq\":").append(data.consumeLong());
        case 1 -> json.append(",\"filter\":null");
        case 2 -> json.append(",\"filter\":{\"field\":")
            .append(quoted(data.consumeString(data.consumeInt(0, 250))))
            .append(",\"value\":").append(quoted(data.consumeString(data.consumeInt(0, 250))))
            .append('}');
        default -> { }
      }
      json.append(',').append(new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8));
      text = json.toString();
    }
    ClientMessage message = check(ClientMessage.parse(text), text);
    if (!(message instanceof ClientMessage.Invalid)) {
      ClientMessage again = check(ClientMessage.parse(json(message)), json(message));
      if (!again.equals(message)) {
        throw new AssertionError(message + " written back read as " + again);
      }
    }
  }

  private static ClientMessage check(ClientMessage message, String text) {
    if (message == null) {
      throw new AssertionError("no message for " + text);
    }
    if (message instanceof ClientMessage.Resume resume && resume.seq() < 0) {
      throw new AssertionError("negative seq accepted: " + resume);
    }
    if (message instanceof ClientMessage.View view && !view.whole()) {
      if (view.field().isEmpty() || view.value() == null
          || view.field().length() > ClientMessage.MAX_FILTER_TEXT
          || view.value().length() > ClientMessage.MAX_FILTER_TEXT) {
        throw new AssertionError("view outside the limits accepted: " + view);
      }
    }
    if (message instanceof ClientMessage.View view && view.whole() && view.value() != null) {
      throw new AssertionError("whole view with a value: " + view);
    }
    if (message instanceof ClientMessage.Invalid invalid
        && (invalid.reason() == null || invalid.reason().isBlank()
            || invalid.reason().length() > 120)) {
      throw new AssertionError("invalid without a short reason: " + invalid.reason());
    }
    return message;
  }

  private static String json(ClientMessage message) {
    if (message instanceof ClientMessage.Resume resume) {
      return "{\"type\":\"resume\",\"seq\":" + resume.seq() + "}";
    }
    ClientMessage.View view = (ClientMessage.View) message;
    return view.whole() ? "{\"type\":\"view\",\"filter\":null}"
        : "{\"type\":\"view\",\"filter\":{\"field\":" + quoted(view.field()) + ",\"value\":"
            + quoted(view.value()) + "}}";
  }

  private static String quoted(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
