package livegraph.security;

import livegraph.testing.SelfSignedCert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import livegraph.server.ViewerSecurity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token's rules and every way a TLS file can be wrong, each found before the server starts. */
class ViewerSecurityTest {

  @TempDir static Path dir;
  private static SelfSignedCert rsa;
  private static SelfSignedCert ec;

  @BeforeAll
  static void certificates() throws Exception {
    rsa = SelfSignedCert.generate(dir, "rsa", "RSA");
    ec = SelfSignedCert.generate(dir, "ec", "EC");
  }

  @Test
  void token_mustBe16To256CookieSafeCharacters() {
    assertThat(ViewerSecurity.NONE.tokenRequired()).isFalse();
    assertThat(ViewerSecurity.NONE.withToken("a".repeat(16)).tokenRequired()).isTrue();
    assertThat(ViewerSecurity.NONE.withToken("Ab0-._~+/=".repeat(25)).tokenRequired()).isTrue();
    assertThatThrownBy(() -> ViewerSecurity.NONE.withToken("short"))
        .hasMessage("token must be 16 to 256 characters: it has 5");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withToken("a".repeat(257)))
        .hasMessageContaining("it has 257");
    for (String bad : new String[] {"0123456789abcdef;x", "0123456789abcdef x", "0123456789abcdef\"",
        "0123456789abcdef,", "0123456789abcdefé", "0123456789abcdef\n"}) {
      assertThatThrownBy(() -> ViewerSecurity.NONE.withToken(bad)).as(bad)
          .hasMessageContaining("may contain only");
    }
  }

  @Test
  void tls_acceptsRsaAndEcPemPairs() {
    assertThat(ViewerSecurity.NONE.withTls(rsa.cert, rsa.key).tls()).isTrue();
    assertThat(ViewerSecurity.NONE.withTls(ec.cert, ec.key).withToken("x".repeat(16)).tls()).isTrue();
  }

  @Test
  void tls_missingFile_isNamed() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(missing, rsa.key))
        .hasMessage("--tls-cert: no such file: " + missing);
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, missing))
        .hasMessage("--tls-key: no such file: " + missing);
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(dir, rsa.key))
        .hasMessage("--tls-cert: no such file: " + dir);
  }

  @Test
  void tls_unreadableFile_isNamed() throws Exception {
    Path locked = Files.copy(rsa.key, dir.resolve("locked.key.pem"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, locked))
        .hasMessageStartingWith("--tls-key: cannot read " + locked);
  }

  @Test
  void tls_filesThatAreNotPem_orTheWrongKind_areNamed() throws Exception {
    Path text = Files.writeString(dir.resolve("text.pem"), "hello\n");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(text, rsa.key))
        .hasMessageStartingWith("--tls-cert: " + text + " is not a PEM certificate");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, text))
        .hasMessage("--tls-key: " + text + " holds no '-----BEGIN PRIVATE KEY-----' block");
    // the key file given as the certificate, and the other way round
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.key, rsa.cert))
        .hasMessageStartingWith("--tls-cert: " + rsa.key);
    Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"),
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, pkcs1))
        .hasMessageContaining("PKCS#1/SEC1 key (convert it: openssl pkcs8 -topk8 -nocrypt");
    Path garbled = Files.writeString(dir.resolve("garbled.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, garbled))
        .hasMessageStartingWith("--tls-key: " + garbled + " is not a PKCS#8 RSA private key");
  }

  @Test
  void tls_aKeyThatIsNotTheCertificates_isRefusedAtStart() throws Exception {
    SelfSignedCert other = SelfSignedCert.generate(dir, "other", "RSA");
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, other.key))
        .hasMessage("--tls-key: " + other.key + " is not the private key of the certificate in " + rsa.cert);
    // an EC key for an RSA certificate fails as the wrong type
    assertThatThrownBy(() -> ViewerSecurity.NONE.withTls(rsa.cert, ec.key))
        .hasMessageStartingWith("--tls-key: " + ec.key + " is not a PKCS#8 RSA private key");
  }
}
