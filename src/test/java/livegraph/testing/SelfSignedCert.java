package livegraph.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's {@code keytool} (run
 * as a process, so no extra dependency) and written as the PEM files {@code --tls-cert} and
 * {@code --tls-key} take, with an {@link SSLContext} that trusts exactly it for Java clients.
 */
public final class SelfSignedCert {

  public final Path cert;
  public final Path key;
  private final KeyStore store;

  private SelfSignedCert(Path cert, Path key, KeyStore store) {
    this.cert = cert;
    this.key = key;
    this.store = store;
  }

  /** Generates an RSA ({@code "RSA"}) or EC ({@code "EC"}) pair in {@code dir} under {@code name}. */
  public static SelfSignedCert generate(Path dir, String name, String algorithm) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    String password = "changeit";
    Process process = new ProcessBuilder("keytool", "-genkeypair", "-alias", "livegraph",
        "-keyalg", algorithm, "-keysize", algorithm.equals("EC") ? "256" : "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", p12.toString(),
        "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, password.toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) store.getKey("livegraph", password.toCharArray());
    Certificate certificate = store.getCertificate("livegraph");
    Path cert = dir.resolve(name + ".crt.pem");
    Path key = dir.resolve(name + ".key.pem");
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded())); // PKCS#8
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("livegraph", certificate);
    return new SelfSignedCert(cert, key, trust);
  }

  /** The pair {@link #generate} made in {@code dir} under {@code name}, read back. */
  public static SelfSignedCert load(Path dir, String name) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("livegraph", store.getCertificate("livegraph"));
    return new SelfSignedCert(dir.resolve(name + ".crt.pem"), dir.resolve(name + ".key.pem"),
        trust);
  }

  /** A TLS context for clients that trusts this certificate and nothing else. */
  public SSLContext clientContext() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  public static void write(Path file, String text) throws IOException {
    Files.writeString(file, text);
  }
}
