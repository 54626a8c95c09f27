package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginCheckTest {

  @Test
  void ownOrigin_isTheServersSchemeAndHost_allowedListIsExact_absentOriginIsAProgram() {
    OriginCheck http = new OriginCheck(Set.of("https://Allowed.example"), false);
    assertThat(http.permitted("http://127.0.0.1:8080", "127.0.0.1:8080")).isTrue();
    assertThat(http.permitted("HTTP://LOCALHOST:8080", "localhost:8080")).isTrue();
    assertThat(http.permitted("https://allowed.example", "127.0.0.1:8080")).isTrue();
    assertThat(http.permitted(null, "127.0.0.1:8080")).isTrue();

    assertThat(http.permitted("https://127.0.0.1:8080", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("http://127.0.0.1:8081", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("http://allowed.example", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("https://allowed.example.evil", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("null", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("file://", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("http://127.0.0.1:8080", null)).isFalse();
    assertThat(http.permitted("http://user@127.0.0.1:8080", "127.0.0.1:8080")).isFalse();
    assertThat(http.permitted("not a url", "127.0.0.1:8080")).isFalse();

    OriginCheck tls = new OriginCheck(Set.of(), true);
    assertThat(tls.permitted("https://127.0.0.1:8443", "127.0.0.1:8443")).isTrue();
    assertThat(tls.permitted("http://127.0.0.1:8443", "127.0.0.1:8443")).isFalse();
  }

  @Test
  void admit_countsEachRefusal() {
    OriginCheck check = new OriginCheck(Set.of(), false);
    check.admit("https://evil.example", "h:1");
    check.admit("http://h:1", "h:1");
    check.admit("null", "h:1");
    assertThat(check.refused()).isEqualTo(2);
  }
}
