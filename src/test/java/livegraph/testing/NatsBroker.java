package livegraph.testing;

import java.nio.file.Path;
import java.util.List;

/** {@code nats-server} on a port of its own, core NATS only (no JetStream). */
public final class NatsBroker extends BrokerProcess {

  public NatsBroker() {
    super("nats", "nats-server", 4222);
  }

  @Override
  List<String> command(Path executable, int port, Path dir) {
    return List.of(executable.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port));
  }
}
