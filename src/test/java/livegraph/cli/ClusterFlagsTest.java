package livegraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code serve}'s cluster flags: each mistake is a usage error naming the flag's rule. */
class ClusterFlagsTest {

  @Test
  void aClusterAddressThatIsNotRedisHostPort_isAUsageError() {
    CliRun scheme = CliRun.of("serve", "--port", "0", "--cluster", "http://127.0.0.1:6379");
    CliRun noPort = CliRun.of("serve", "--port", "0", "--cluster", "redis://127.0.0.1");

    assertThat(scheme.status()).isEqualTo(2);
    assertThat(scheme.err()).contains("cluster address must be redis://HOST:PORT");
    assertThat(noPort.status()).isEqualTo(2);
    assertThat(noPort.err()).contains("cluster address needs a host and a port");
  }

  @Test
  void badNodeIdPrefixOrTtl_areUsageErrors() {
    String redis = "redis://127.0.0.1:1";
    CliRun node = CliRun.of("serve", "--port", "0", "--cluster", redis, "--node-id", "web 1");
    CliRun prefix = CliRun.of("serve", "--port", "0", "--cluster", redis, "--cluster-prefix",
        "a{b}");
    CliRun ttl = CliRun.of("serve", "--port", "0", "--cluster", redis, "--lease-ttl", "500ms");
    CliRun entries = CliRun.of("serve", "--port", "0", "--cluster", redis,
        "--cluster-max-entries", "10");

    assertThat(node.status()).isEqualTo(2);
    assertThat(node.err()).contains("node id must be 1 to 64 letters, digits");
    assertThat(prefix.status()).isEqualTo(2);
    assertThat(prefix.err()).contains("key prefix must be 1 to 64 letters");
    assertThat(ttl.status()).isEqualTo(2);
    assertThat(ttl.err()).contains("lease ttl must be at least 1000 ms");
    assertThat(entries.status()).isEqualTo(2);
    assertThat(entries.err()).contains("a stream must keep at least 1000 entries");
  }

  @Test
  void nodeIdWithoutCluster_andJournalWithCluster_areUsageErrors() {
    CliRun alone = CliRun.of("serve", "--port", "0", "--node-id", "web1");
    CliRun journal = CliRun.of("serve", "--port", "0", "--cluster", "redis://127.0.0.1:1",
        "--journal", "/tmp/j");

    assertThat(alone.status()).isEqualTo(2);
    assertThat(alone.err()).contains("--node-id needs --cluster");
    assertThat(journal.status()).isEqualTo(2);
    assertThat(journal.err()).contains("--journal and --cluster cannot be combined");
  }

  @Test
  void theDefaultNodeId_isTheHostNameAndPid_asAValidId() {
    String id = ServeCommand.defaultNodeId();

    assertThat(id).matches("[A-Za-z0-9._-]{1,64}").endsWith("-" + ProcessHandle.current().pid());
  }
}
