package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The one-line failure descriptions a network source's status bar shows. */
class ReconnectLoopDescribeTest {

  @Test
  void aResetConnection_saysSo_withoutTheTransportsSyscallAndErrno() {
    assertThat(ReconnectLoop.describe(new IOException(
        "recvAddress(..) failed with error(-104): Connection reset by peer")))
        .isEqualTo("connection reset by peer");
    assertThat(ReconnectLoop.describe(new IOException("Connection reset")))
        .isEqualTo("connection reset by peer");
  }

  @Test
  void refused_andOtherFailures_asBefore() {
    assertThat(ReconnectLoop.describe(new ConnectException(
        "finishConnect(..) failed with error(-111): Connection refused")))
        .isEqualTo("connection refused");
    assertThat(ReconnectLoop.describe(new IOException("Broken pipe"))).isEqualTo("Broken pipe");
    assertThat(ReconnectLoop.describe(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }
}
