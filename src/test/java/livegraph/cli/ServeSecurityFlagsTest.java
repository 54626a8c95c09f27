package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s security flags: defaults, the token from the environment, and mistakes refused before anything starts. */
class ServeSecurityFlagsTest {

  private static ServeCommand parsed(Map<String, String> env, String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    serve.environment = env::get;
    return serve;
  }

  @Test
  void defaults_bindLoopback_noToken_noTls() {
    ServeCommand serve = parsed(Map.of());
    assertThat(serve.host).isEqualTo("127.0.0.1");
    assertThat(serve.security().tokenRequired()).isFalse();
    assertThat(serve.security().tls()).isFalse();
  }

  @Test
  void token_comesFromTheFlag_orElseFromLivegraphToken_soItNeedNotShowInPs() {
    assertThat(parsed(Map.of("LIVEGRAPH_TOKEN", "from-the-environment")).security().tokenRequired()).isTrue();
    assertThat(parsed(Map.of(), "--token", "from-the-flag-0123").security().tokenRequired()).isTrue();
    assertThat(parsed(Map.of("LIVEGRAPH_TOKEN", "")).security().tokenRequired()).isFalse();
    assertThatThrownBy(() -> parsed(Map.of("LIVEGRAPH_TOKEN", "short")).security())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("LIVEGRAPH_TOKEN: token must be 16 to 256 characters: it has 5");
  }

  @Test
  void badToken_orHalfTheTlsPair_orAMissingTlsFile_exitTwo_withTheReason() {
    CliRun shortToken = CliRun.of("serve", "--port", "0", "--token", "short");
    assertThat(shortToken.status()).isEqualTo(2);
    assertThat(shortToken.err()).contains("token must be 16 to 256 characters: it has 5");
    assertThat(shortToken.out()).doesNotContain("serving");

    CliRun half = CliRun.of("serve", "--port", "0", "--tls-cert", "cert.pem");
    assertThat(half.status()).isEqualTo(2);
    assertThat(half.err()).contains("--tls-cert and --tls-key go together");

    CliRun missing = CliRun.of("serve", "--port", "0", "--tls-cert", "/nonexistent/c.pem",
        "--tls-key", "/nonexistent/k.pem");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--tls-cert: no such file: /nonexistent/c.pem");
  }
}
