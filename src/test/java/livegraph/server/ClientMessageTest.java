package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page's messages: resume and view, and what each wrong shape is told. */
class ClientMessageTest {

  private static String reason(String text) {
    ClientMessage m = ClientMessage.parse(text);
    assertThat(m).as(text).isInstanceOf(ClientMessage.Invalid.class);
    return ((ClientMessage.Invalid) m).reason();
  }

  @Test
  void resume_isParsed_andNeedsANonNegativeSeq() {
    assertThat(ClientMessage.parse("{\"type\":\"resume\",\"seq\":42}"))
        .isEqualTo(new ClientMessage.Resume(42));
    assertThat(reason("{\"type\":\"resume\"}")).isEqualTo("resume needs a non-negative seq");
    assertThat(reason("{\"type\":\"resume\",\"seq\":-1}"))
        .isEqualTo("resume needs a non-negative seq");
  }

  @Test
  void view_withAFilter_isThatFieldAndValue_unknownFieldsSkipped() {
    assertThat(ClientMessage.parse(
        "{\"type\":\"view\",\"filter\":{\"field\":\"apiSiteParameter\",\"value\":\"math\"}}"))
        .isEqualTo(new ClientMessage.View("apiSiteParameter", "math"));
    assertThat(ClientMessage.parse("{\"filter\":{\"value\":\"c#\",\"x\":[1,{}],"
        + "\"field\":\"tags\"},\"type\":\"view\",\"extra\":{\"a\":1}}"))
        .isEqualTo(new ClientMessage.View("tags", "c#"));
    // Any text is a key: empty, markup, escapes.
    assertThat(ClientMessage.parse(
        "{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":\"<b>\\u00e9\\\"\"}}"))
        .isEqualTo(new ClientMessage.View("f", "<b>é\""));
    assertThat(ClientMessage.parse(
        "{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":\"\"}}"))
        .isEqualTo(new ClientMessage.View("f", ""));
  }

  @Test
  void view_withNullFilter_isTheWholeDashboard() {
    ClientMessage m = ClientMessage.parse("{\"type\":\"view\",\"filter\":null}");
    assertThat(m).isEqualTo(ClientMessage.View.WHOLE);
    assertThat(((ClientMessage.View) m).whole()).isTrue();
  }

  @Test
  void view_withWrongTypes_isInvalid_sayingWhich() {
    assertThat(reason("{\"type\":\"view\"}"))
        .isEqualTo("view needs a filter: {\"field\":F,\"value\":V} or null");
    assertThat(reason("{\"type\":\"view\",\"filter\":\"math\"}"))
        .isEqualTo("filter must be an object or null");
    assertThat(reason("{\"type\":\"view\",\"filter\":[]}"))
        .isEqualTo("filter must be an object or null");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":3}}"))
        .isEqualTo("filter value must be a string");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":null,\"value\":\"x\"}}"))
        .isEqualTo("filter field must be a string");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"f\"}}"))
        .isEqualTo("filter needs a field and a value");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"\",\"value\":\"x\"}}"))
        .isEqualTo("filter field must not be empty");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":\"x\""))
        .isEqualTo("not JSON");
  }

  @Test
  void view_withOversizeFieldOrValue_isInvalid() {
    String limit = "v".repeat(ClientMessage.MAX_FILTER_TEXT);
    assertThat(ClientMessage.parse(
        "{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":\"" + limit + "\"}}"))
        .isEqualTo(new ClientMessage.View("f", limit));
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"f\",\"value\":\""
        + limit + "v\"}}")).isEqualTo("filter value must be at most 200 characters: 201");
    assertThat(reason("{\"type\":\"view\",\"filter\":{\"field\":\"" + limit
        + "f\",\"value\":\"x\"}}")).isEqualTo("filter field must be at most 200 characters: 201");
  }

  @Test
  void otherMessages_stayInvalid() {
    assertThat(reason("[]")).isEqualTo("expected a JSON object");
    assertThat(reason("{\"type\":\"subscribe\"}")).isEqualTo("unknown type: subscribe");
    assertThat(reason("{}")).isEqualTo("missing type");
    assertThat(reason("{\"type\":\"view\",\"filter\":null} {}"))
        .isEqualTo("trailing data after the object");
  }

  @Test
  void urlFilter_isParsedLikeTheMessage() {
    assertThat(ViewerHandler.viewFrom("/ws?filter=tags&value=c%23"))
        .isEqualTo(new ClientMessage.View("tags", "c#"));
    assertThat(ViewerHandler.viewFrom("/d/x/ws?resume=5")).isEqualTo(ClientMessage.View.WHOLE);
    assertThat(ViewerHandler.viewFrom("/ws?filter=&value=")).isEqualTo(ClientMessage.View.WHOLE);
    assertThat(ViewerHandler.viewFrom("/ws?filter=tags"))
        .isInstanceOf(ClientMessage.Invalid.class);
    assertThat(ViewerHandler.viewFrom("/ws?filter=tags&value=" + "x".repeat(201)))
        .isInstanceOf(ClientMessage.Invalid.class);
  }
}
