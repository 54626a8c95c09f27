package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCheckTest {

  private static final String TOKEN = "abcdefghijklmnop-0123";
  private final TokenCheck check = new TokenCheck(TOKEN);

  private static HttpHeaders headers(String... nameValue) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < nameValue.length; i += 2) {
      h.add(nameValue[i], nameValue[i + 1]);
    }
    return h;
  }

  @Test
  void bearerHeader_cookie_andQuery_areAccepted_theQueryOneAsking_forTheCookie() {
    assertThat(check.check(headers("Authorization", "Bearer " + TOKEN), Map.of()))
        .isEqualTo(TokenCheck.Outcome.ACCEPTED);
    assertThat(check.check(headers("Authorization", "bearer " + TOKEN), Map.of()))
        .isEqualTo(TokenCheck.Outcome.ACCEPTED);
    assertThat(check.check(headers("Cookie", "x=1; livegraph_token=" + TOKEN + "; y=2"), Map.of()))
        .isEqualTo(TokenCheck.Outcome.ACCEPTED);
    assertThat(check.check(headers(), Map.of("token", List.of(TOKEN))))
        .isEqualTo(TokenCheck.Outcome.ACCEPTED_FROM_QUERY);
    assertThat(check.refused()).isZero();
  }

  @Test
  void missing_wrong_prefix_longer_twice_orEmpty_areRefused_andCounted() {
    List<TokenCheck.Outcome> outcomes = List.of(
        check.check(headers(), Map.of()),
        check.check(headers("Authorization", "Bearer " + TOKEN + "x"), Map.of()),
        check.check(headers("Authorization", "Bearer " + TOKEN.substring(0, 10)), Map.of()),
        check.check(headers("Authorization", "Basic " + TOKEN), Map.of()),
        check.check(headers("Cookie", "livegraph_token="), Map.of()),
        check.check(headers(), Map.of("token", List.of(TOKEN, TOKEN))),
        check.check(headers(), Map.of("token", List.of(""))),
        // a wrong header is not rescued by a right cookie: one credential, checked once
        check.check(headers("Authorization", "Bearer nope", "Cookie", "livegraph_token=" + TOKEN), Map.of()));
    assertThat(outcomes).containsOnly(TokenCheck.Outcome.REFUSED);
    assertThat(check.refused()).isEqualTo(outcomes.size());
  }

  @Test
  void cookie_isHttpOnly_strictSameSite_wholeSite_andSecureOnlyOverTls() {
    assertThat(check.cookie(TOKEN, false)).isEqualTo("livegraph_token=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
    assertThat(check.cookie(TOKEN, true)).endsWith("; SameSite=Strict; Secure");
  }
}
