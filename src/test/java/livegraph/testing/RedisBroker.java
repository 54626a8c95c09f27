package livegraph.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code redis-server} on a port of its own, keeping nothing on disk. */
public final class RedisBroker extends BrokerProcess {

  // command() first runs inside the super constructor, before this class's fields are set: the
  // password reaches that first launch through here, and later ones (a restart) from the field.
  private static final ThreadLocal<String> LAUNCHING = new ThreadLocal<>();

  private final String password; // null: none

  public RedisBroker() {
    this(null);
  }

  /**
   * One that requires {@code password} ({@code --requirepass}); null for none. Without the
   * binary the shared instance is used, which requires none: check {@link #ownProcess()}.
   */
  public RedisBroker(String password) {
    super(launching(password), "redis-server", 6379);
    LAUNCHING.remove();
    this.password = password;
  }

  private static String launching(String password) {
    LAUNCHING.set(password);
    return "redis";
  }

  @Override
  List<String> command(Path executable, int port, Path dir) {
    List<String> command = new ArrayList<>(List.of(
        executable.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    String required = password != null ? password : LAUNCHING.get();
    if (required != null) {
      command.addAll(List.of("--requirepass", required));
    }
    return command;
  }
}
