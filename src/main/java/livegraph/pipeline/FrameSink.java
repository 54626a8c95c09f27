package livegraph.pipeline;

import java.util.Map;

/** Receives the pipeline's output: the JSON state of each chart that changed in a tick. */
public interface FrameSink {
  void publish(Map<String, byte[]> changedCharts);
}
