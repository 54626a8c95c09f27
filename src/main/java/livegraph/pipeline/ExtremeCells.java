package livegraph.pipeline;

import java.util.Arrays;

/** {@code min(F)} and {@code max(F)}: the extreme value per row, {@code NaN} for none. */
final class ExtremeCells extends Cells {

  private final boolean max;
  private double[] values = new double[0];

  ExtremeCells(Measure measure) {
    super(measure);
    max = measure.aggregation() == Measure.Aggregation.MAX;
  }

  @Override
  void grow(int rows) {
    if (rows > values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, rows);
      Arrays.fill(values, old, rows, Double.NaN);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    take(row, number(event));
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    take(row, ((ExtremeCells) from).values[fromRow]);
  }

  private void take(int row, double v) {
    double current = values[row];
    if (!Double.isNaN(v) && (Double.isNaN(current) || (max ? v > current : v < current))) {
      values[row] = v;
    }
  }

  @Override
  void clear(int row) {
    values[row] = Double.NaN;
  }

  @Override
  double value(int row, double seconds) {
    return values[row];
  }
}
