package livegraph.testing;

import java.nio.file.Path;
import java.util.List;

/** {@code redis-server} on a port of its own, keeping nothing on disk. */
public final class RedisBroker extends BrokerProcess {

  public RedisBroker() {
    super("redis", "redis-server", 6379);
  }

  @Override
  List<String> command(Path executable, int port, Path dir) {
    return List.of(
        executable.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString());
  }
}
