package livegraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Settings and values of a {@link Lease}, without Redis (nothing connects before a call). */
class LeaseTest {

  private static final URI REDIS = URI.create("redis://127.0.0.1:6390");

  @Test
  void value_isNodeIdAndToken_soARestartedNodeIsADifferentHolder() {
    Lease first = Lease.create(REDIS, "lg:lease:a", "node-1", Duration.ofSeconds(2), new SplittableRandom(1));
    Lease second = Lease.create(REDIS, "lg:lease:a", "node-1", Duration.ofSeconds(2), new SplittableRandom(2));

    assertThat(first.value()).startsWith("node-1:").isNotEqualTo(second.value());
    assertThat(Lease.nodeOf(first.value())).isEqualTo("node-1");
    assertThat(Lease.nodeOf("a:b:c0ffee")).isEqualTo("a:b");
  }

  @Test
  void callTimeout_isASixthOfTheTtl_capped() {
    assertThat(Lease.callTimeoutMillis(1_200)).isEqualTo(200);
    assertThat(Lease.callTimeoutMillis(600_000)).isEqualTo(Lease.MAX_CALL_TIMEOUT_MILLIS);
  }

  @Test
  void badSettings_areRefused_namingTheValue() {
    SplittableRandom r = new SplittableRandom(0);
    Duration ttl = Duration.ofSeconds(2);
    assertThatThrownBy(() -> Lease.create(REDIS, "k", "n", Duration.ofMillis(999), r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease ttl must be at least 1000 ms: PT0.999S");
    assertThatThrownBy(() -> Lease.create(REDIS, " ", "n", ttl, r))
        .hasMessage("lease key must not be empty: ' '");
    assertThatThrownBy(() -> Lease.create(REDIS, "k", "my node", ttl, r))
        .hasMessage("node id must be non-empty without spaces: 'my node'");
    assertThatThrownBy(() -> Lease.create(URI.create("http://127.0.0.1:6379"), "k", "n", ttl, r))
        .hasMessage("cluster address must be redis://HOST:PORT (or rediss:// for TLS): http://…");
    assertThatThrownBy(() -> Lease.create(URI.create("redis://127.0.0.1"), "k", "n", ttl, r))
        .hasMessage("cluster address needs a host and a port, redis://HOST:PORT: redis://127.0.0.1");
  }
}
