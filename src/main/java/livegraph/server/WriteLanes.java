package livegraph.server;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link WriteLane} of each event loop a server's viewers are on: one per loop, made on first
 * use, so there are at most as many as the server's event loop group has loops.
 */
final class WriteLanes {

  private final ConcurrentHashMap<EventLoop, WriteLane> lanes = new ConcurrentHashMap<>();

  WriteLane of(EventLoop loop) {
    return lanes.computeIfAbsent(loop, WriteLane::new);
  }
}
