package livegraph.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * {@code redis-server} of our own speaking only TLS ({@code --tls-port}, plain port off), with a
 * self-signed certificate for 127.0.0.1 made in its directory; {@link #clientContext()} trusts
 * exactly that certificate. Without the binary the shared plain instance is used: check {@link
 * #ownProcess()}.
 */
public final class RedisTlsBroker extends BrokerProcess {

  private static final String NAME = "redis-tls";

  public RedisTlsBroker() {
    super(NAME, "redis-server", 6379);
  }

  @Override
  List<String> command(Path executable, int port, Path dir) throws IOException {
    SelfSignedCert cert = certificate(dir);
    return List.of(
        executable.toString(), "--port", "0", "--tls-port", Integer.toString(port),
        "--bind", "127.0.0.1", "--tls-cert-file", cert.cert.toString(), "--tls-key-file",
        cert.key.toString(), "--tls-auth-clients", "no", "--save", "", "--appendonly", "no",
        "--dir", dir.toString());
  }

  /** A client context that trusts this broker's certificate only. */
  public SSLContext clientContext() throws Exception {
    return certificate(dir()).clientContext();
  }

  private static SelfSignedCert certificate(Path dir) throws IOException {
    try {
      // Made once per broker directory: a restart keeps the certificate clients trust.
      Path marker = dir.resolve(NAME + ".crt.pem");
      return Files.exists(marker) ? SelfSignedCert.load(dir, NAME)
          : SelfSignedCert.generate(dir, NAME, "RSA");
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not make the broker's certificate: " + e.getMessage(), e);
    }
  }
}
