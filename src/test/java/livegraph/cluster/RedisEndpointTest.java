package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void addresses_withAndWithoutLogin_andTls() {
    RedisEndpoint plain = RedisEndpoint.of(URI.create("redis://10.0.0.5:6379"), null);
    RedisEndpoint password = RedisEndpoint.of(URI.create("redis://:s3cr%40t@h:1"), null);
    RedisEndpoint user = RedisEndpoint.of(URI.create("rediss://web:pw+1@h:2/"), null);

    assertThat(plain).isEqualTo(new RedisEndpoint(
        new redis.clients.jedis.HostAndPort("10.0.0.5", 6379), null, null, false));
    assertThat(password.password()).isEqualTo("s3cr@t");
    assertThat(password.user()).isNull();
    assertThat(user.user()).isEqualTo("web");
    assertThat(user.password()).isEqualTo("pw+1");
    assertThat(user.tls()).isTrue();
  }

  @Test
  void thePasswordFromTheEnvironment_isUsedWhenTheAddressHasNone() {
    assertThat(RedisEndpoint.of(URI.create("redis://h:1"), "env").password()).isEqualTo("env");
    assertThat(RedisEndpoint.of(URI.create("redis://:uri@h:1"), "env").password()).isEqualTo("uri");
    assertThat(RedisEndpoint.of(URI.create("redis://h:1"), "").password()).isNull();
  }

  @Test
  void whatIsPrinted_neverHoldsThePassword() {
    RedisEndpoint e = RedisEndpoint.of(URI.create("rediss://web:hunter2@h:6380"), null);
    ClusterSettings settings = ClusterSettings.of(URI.create("redis://:hunter2@h:6380"), "n1");

    assertThat(e.toString()).isEqualTo("rediss://web@h:6380").doesNotContain("hunter2");
    assertThat(settings.toString()).doesNotContain("hunter2").contains("redis://h:6380");
    assertThatThrownBy(() -> RedisEndpoint.of(URI.create("http://:hunter2@h:1"), null))
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> ClusterSettings.of(URI.create("redis://:hunter2@h:1/3"), "n")
        .withLeaseTtl(Duration.ofSeconds(2)))
        .hasMessageContaining("takes no database").hasMessageNotContaining("hunter2");
  }
}
