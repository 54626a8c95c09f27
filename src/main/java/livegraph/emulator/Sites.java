package livegraph.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The StackExchange sites known to the simulator, read from {@code /stackexchange/sites.json}. */
final class Sites {

  static final String RESOURCE = "/stackexchange/sites.json";

  /** One community; {@code weight} is its total question count, used as its share of traffic. */
  record Site(String name, String host, String apiSiteParameter, boolean meta, long weight) {}

  private Sites() {}

  /** Every site with a positive question count, in file order. */
  static List<Site> load() {
    try (InputStream in = Sites.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource missing: " + RESOURCE);
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static List<Site> parse(JsonNode root) {
    List<Site> sites = new ArrayList<>();
    for (JsonNode s : root.path("sites")) {
      String host = s.path("host").asText("");
      long weight = s.path("total_questions").asLong(0);
      // A site without a host or without questions would never be drawn; leave it out.
      if (host.isEmpty() || weight <= 0) {
        continue;
      }
      JsonNode param = s.path("api_site_parameter");
      String api = param.isTextual() && !param.asText().isEmpty()
          ? param.asText()
          : apiSiteParameterFromHost(host);
      sites.add(new Site(s.path("name").asText(host), host, api,
          s.path("is_meta").asBoolean(false), weight));
    }
    if (sites.isEmpty()) {
      throw new IllegalStateException("no site with questions in " + RESOURCE);
    }
    return List.copyOf(sites);
  }

  /**
   * The API's site parameter for a host whose data-dump row lacks one, following the API's
   * pattern: {@code ai.stackexchange.com -> ai}, {@code es.stackoverflow.com -> es.stackoverflow},
   * {@code ai.meta.stackexchange.com -> meta.ai}, {@code meta.es.stackoverflow.com ->
   * meta.es.stackoverflow}.
   */
  static String apiSiteParameterFromHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".meta.stackexchange.com")) {
      return "meta." + h.substring(0, h.length() - ".meta.stackexchange.com".length());
    }
    if (h.endsWith(".stackexchange.com")) {
      return h.substring(0, h.length() - ".stackexchange.com".length());
    }
    if (h.endsWith(".com")) {
      return h.substring(0, h.length() - ".com".length());
    }
    return h;
  }
}
