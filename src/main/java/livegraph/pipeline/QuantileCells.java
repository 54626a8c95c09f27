package livegraph.pipeline;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.util.Arrays;

/**
 * {@code pNN(F)}: per row a DDSketch of the field's values with 1% relative accuracy.
 *
 * <p>Accuracy: the value at quantile q is within 1% (relative) of the value of rank {@code
 * floor(q * (n - 1))} (0-based, ascending) among the n values. Bound: each of the positive and
 * negative stores keeps at most {@value #MAX_BINS} bins, which at 1% covers values spanning a
 * factor of 10^17; beyond, the lowest bins are collapsed, so only low quantiles lose accuracy
 * (the high ones charts show are kept). Values closer to 0 than about 1e-300 count as 0.
 */
final class QuantileCells extends Cells {

  static final double RELATIVE_ACCURACY = 0.01;
  static final int MAX_BINS = 2048;

  /** One mapping for all sketches, so any two merge. */
  private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

  private DDSketch[] sketches = new DDSketch[0];

  QuantileCells(Measure measure) {
    super(measure);
  }

  static DDSketch newSketch() {
    return new DDSketch(MAPPING, () -> new CollapsingLowestDenseStore(MAX_BINS));
  }

  @Override
  void grow(int rows) {
    if (rows > sketches.length) {
      sketches = Arrays.copyOf(sketches, rows);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    double v = number(event);
    if (!Double.isNaN(v)) {
      sketch(row).accept(v);
    }
  }

  private DDSketch sketch(int row) {
    DDSketch sketch = sketches[row];
    if (sketch == null) {
      sketch = newSketch();
      sketches[row] = sketch;
    }
    return sketch;
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    DDSketch source = ((QuantileCells) from).sketches[fromRow];
    if (source != null && !source.isEmpty()) {
      sketch(row).mergeWith(source);
    }
  }

  @Override
  void clear(int row) {
    sketches[row] = null;
  }

  @Override
  double value(int row, double seconds) {
    DDSketch sketch = sketches[row];
    return sketch == null || sketch.isEmpty()
        ? Double.NaN : sketch.getValueAtQuantile(measure.quantile());
  }
}
