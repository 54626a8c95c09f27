package livegraph.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Mosquitto on a port of its own: anonymous, nothing persisted, MQTT 3.1.1 and 5. */
public final class MosquittoBroker extends BrokerProcess {

  public MosquittoBroker() {
    super("mosquitto", "mosquitto", 1883);
  }

  @Override
  List<String> command(Path executable, int port, Path dir) throws IOException {
    Path config = dir.resolve("mosquitto-" + port + ".conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "log_dest stderr",
            ""));
    return List.of(executable.toString(), "-c", config.toString());
  }
}
