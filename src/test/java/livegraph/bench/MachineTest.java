package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

  @Test
  void openFilesLimit_isTheSoftLimit() {
    String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
        + "Max cpu time              unlimited            unlimited            seconds   \n"
        + "Max open files            1024                 524288               files     \n";
    assertThat(Machine.openFilesLimit(limits)).hasValue(1024);
    assertThat(Machine.openFilesLimit(limits.replace("1024 ", "unlimited ")))
        .hasValue(Long.MAX_VALUE);
    assertThat(Machine.openFilesLimit("")).isEmpty();
  }
}
