package livegraph.source;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import livegraph.source.Decoding.Extract;
import livegraph.source.WebSocketSpec.HeartbeatRule;

/**
 * The StackExchange realtime feed as a {@link WebSocketSpec}: no code of its own, only
 * configuration of the generic WebSocket source.
 *
 * <p>The protocol (see STACKEXCHANGE.md): the client sends the channel name as plain text; the
 * server sends {@code {"action": CHANNEL, "data": "<JSON as a string>"}} frames and a heartbeat
 * {@code {"action":"hb","data":"hb"}} that the client must answer with {@code hb}. Event keys
 * are the question fields the built-in StackExchange dashboard charts name.
 */
public final class StackExchangeFeed {

  /** The real feed; used only when a user asks for live data. */
  public static final URI LIVE_URI = URI.create("wss://qa.sockets.stackexchange.com/");

  /** Active questions across the whole network, what the original page subscribed to. */
  public static final String CHANNEL = "155-questions-active";

  private StackExchangeFeed() {}

  /**
   * The spec of a source reading the feed (or the local emulator) at {@code url}.
   *
   * @param silence how long the feed may send no question (heartbeats do not count) before the
   *     connection is replaced
   */
  public static WebSocketSpec spec(String name, URI url, Duration silence) {
    return new WebSocketSpec(
        name,
        url,
        List.of(CHANNEL),
        new HeartbeatRule(Map.of("/action", "hb"), "hb"),
        silence,
        decoding());
  }

  /** The frames of {@link #CHANNEL}, decoded to the question fields. */
  public static Decoding decoding() {
    return new Decoding(
        Map.of("/action", CHANNEL),
        "/data",
        null, // lastActivityDate is when the question changed, not when the feed said so
        List.of(
            Extract.of("apiSiteParameter"),
            Extract.of("siteBaseHostAddress"),
            Extract.of("id"),
            // HTML entities decoded for display as text; the page never inserts it as HTML.
            new Extract("title", "/titleEncodedFancy", true),
            Extract.of("tags"),
            Extract.of("url"),
            Extract.of("lastActivityDate"),
            new Extract("ownerDisplayName", "/ownerDisplayName", true)),
        // A re-read after a failover sends the same activity again; a new one has a new date.
        List.of("apiSiteParameter", "id", "lastActivityDate"));
  }
}
