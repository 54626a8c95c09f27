package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A chart's filter in front of its aggregator: events the filter rejects never reach it. One
 * place for every chart kind, so no aggregator checks its spec's filter itself.
 */
final class FilteredAggregator implements Aggregator {

  private final Filter filter;
  private final Aggregator inner;

  FilteredAggregator(Filter filter, Aggregator inner) {
    this.filter = filter;
    this.inner = inner;
  }

  /** A rejected event is not this chart's, so it is not "too old" for it either. */
  @Override
  public boolean add(long timeMillis, Event event) {
    return !filter.matches(event) || inner.add(timeMillis, event);
  }

  @Override
  public void advanceTo(long nowMillis) {
    inner.advanceTo(nowMillis);
  }

  @Override
  public boolean changed() {
    return inner.changed();
  }

  @Override
  public void write(JsonGenerator json) throws IOException {
    inner.write(json);
  }
}
