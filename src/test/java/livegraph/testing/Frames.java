package livegraph.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds StackExchange realtime frames in the real double-encoded format, for tests. */
public final class Frames {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Frames() {}

  /** A {@code 155-questions-active} frame for a question on {@code site}. */
  public static String question(String site, long id, String title, List<String> tags) {
    ObjectNode inner = JSON.createObjectNode();
    String host = site.equals("stackoverflow") ? "stackoverflow.com" : site + ".stackexchange.com";
    inner.put("siteBaseHostAddress", host);
    inner.put("id", id);
    inner.put("titleEncodedFancy", title);
    inner.put("bodySummary", "body of " + id);
    tags.forEach(inner.putArray("tags")::add);
    inner.put("lastActivityDate", 1_700_000_000L);
    inner.put("url", "https://" + host + "/questions/" + id + "/q");
    inner.put("ownerUrl", "https://" + host + "/users/1/u");
    inner.put("ownerDisplayName", "user");
    inner.put("apiSiteParameter", site);
    return outer("155-questions-active", inner.toString());
  }

  /** The outer frame with {@code data} as a JSON string. */
  public static String outer(String action, String data) {
    ObjectNode outer = JSON.createObjectNode();
    outer.put("action", action);
    outer.put("data", data);
    return outer.toString();
  }
}
