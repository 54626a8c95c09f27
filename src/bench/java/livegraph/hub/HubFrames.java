package livegraph.hub;

import java.util.Map;

/** The hub's frame encoding, opened to the benchmarks of other packages. */
public final class HubFrames {

  private HubFrames() {}

  /** {@code {"type":TYPE,"seq":SEQ,"charts":{...}}} as the hub sends a delta or a snapshot. */
  public static byte[] charts(String type, long seq, Map<String, byte[]> charts) {
    return Messages.charts(type, seq, charts);
  }
}
