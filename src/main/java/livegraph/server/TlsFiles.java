package livegraph.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Reads a PEM certificate chain and its PEM private key (PKCS#8, unencrypted: what {@code openssl
 * genpkey} and {@code openssl pkcs8 -topk8 -nocrypt} write) into the server's TLS context.
 *
 * <p>Every problem is found here, at start, and named with the file: missing, unreadable, not
 * PEM, no certificate, a key in another format, or a key that does not belong to the first
 * certificate (checked by signing a random challenge with the key and verifying it with the
 * certificate's public key, since the TLS engine would only fail at the first handshake).
 */
final class TlsFiles {

  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsFiles() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static SslContext serverContext(Path certFile, Path keyFile) {
    X509Certificate[] chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain[0].getPublicKey().getAlgorithm());
    checkPair(key, chain[0], certFile, keyFile);
    try {
      return SslContextBuilder.forServer(key, chain).build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot use " + certFile + " and " + keyFile + " for TLS: "
          + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String flag) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(flag + ": no such file: " + file);
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] certificates(Path file) {
    byte[] bytes = read(file, "--tls-cert");
    Collection<? extends Certificate> read;
    try {
      read = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("--tls-cert: " + file + " is not a PEM certificate: "
          + e.getMessage(), e);
    }
    if (read.isEmpty()) {
      throw new IllegalArgumentException("--tls-cert: no certificate in " + file);
    }
    return read.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
  }

  private static PrivateKey privateKey(Path file, String algorithm) {
    String text = new String(read(file, "--tls-key"), StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      String hint = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key (give it unencrypted)"
          : text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY")
              ? "a PKCS#1/SEC1 key (convert it: openssl pkcs8 -topk8 -nocrypt -in KEY)"
              : "no '-----BEGIN PRIVATE KEY-----' block";
      throw new IllegalArgumentException("--tls-key: " + file + " holds " + hint);
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-key: " + file + " is not a PKCS#8 " + algorithm
          + " private key (the certificate's key type): " + e.getMessage(), e);
    }
  }

  private static void checkPair(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> null;
    };
    if (algorithm == null) {
      throw new IllegalArgumentException("--tls-key: " + keyFile + ": unsupported key type "
          + key.getAlgorithm() + " (use RSA, EC or Ed25519)");
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException("--tls-key: " + keyFile + " is not the private key of the"
          + " certificate in " + certFile);
    }
  }
}
