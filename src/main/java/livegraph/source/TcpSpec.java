package livegraph.source;

import java.util.Objects;

/**
 * JSON lines over TCP.
 *
 * @param listen {@code true}: accept producers on host:port (port 0 picks one), each line of
 *     each connection an event; {@code false}: connect to host:port and reconnect when it drops
 */
public record TcpSpec(String name, String host, int port, boolean listen, Decoding decoding)
    implements SourceSpec {

  public TcpSpec {
    SpecChecks.name(name);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("tcp host must not be blank: " + host);
    }
    SpecChecks.port(port, listen);
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return (listen ? "listening on " : "tcp ") + host + ":" + port;
  }
}
