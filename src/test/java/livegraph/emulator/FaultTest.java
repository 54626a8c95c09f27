package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void parseList_readsFlagsInOrder_caseAndSeparatorFree() {
    assertThat(Fault.parseList("close, RESET,heartbeats-only,deep_nesting"))
        .containsExactly(Fault.CLOSE, Fault.RESET, Fault.HEARTBEATS_ONLY, Fault.DEEP_NESTING);
  }

  @Test
  void parseList_unknownMode_namesItAndListsTheKnownOnes() {
    assertThatThrownBy(() -> Fault.parseList("close,explode"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown fault 'explode'")
        .hasMessageContaining("heartbeats-only")
        .hasMessageContaining("invalid-utf8");
    assertThatThrownBy(() -> Fault.parseList("")).hasMessageContaining("unknown fault ''");
  }

  @Test
  void everyFlag_parsesBackToItsFault() {
    for (Fault f : Fault.values()) {
      assertThat(Fault.parseList(f.flag())).isEqualTo(List.of(f));
    }
  }

  @Test
  void onlyHangAndTheHeartbeatFaults_lastUntilCleared() {
    assertThat(List.of(Fault.values())).filteredOn(Fault::isState)
        .containsExactly(Fault.HANG, Fault.HEARTBEATS_ONLY, Fault.HEARTBEAT_LOSS);
  }
}
