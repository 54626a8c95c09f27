package livegraph.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's view of a loopback TCP connection, from {@code /proc/net/tcp} and {@code tcp6}:
 * how a test sees that the server closed its end of a socket whose client never reads (no FIN
 * can reach such a client's application, but the server's socket leaves ESTABLISHED at once).
 */
final class TcpStates {

  static final String ESTABLISHED = "01";

  private TcpStates() {}

  /**
   * The state (two hex digits, as the kernel writes it) of the socket whose local port is
   * {@code localPort} and remote port {@code remotePort}; empty when there is none.
   */
  static Optional<String> state(int localPort, int remotePort) throws IOException {
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.isReadable(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[1].contains(":")) {
          continue;
        }
        if (port(f[1]) == localPort && port(f[2]) == remotePort) {
          return Optional.of(f[3]);
        }
      }
    }
    return Optional.empty();
  }

  private static int port(String address) {
    try {
      return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    } catch (NumberFormatException e) {
      return -1; // the header line
    }
  }
}
