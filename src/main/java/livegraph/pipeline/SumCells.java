package livegraph.pipeline;

import java.util.Arrays;

/**
 * {@code sum(F)}, {@code avg(F)} and {@code rate(F)}: per row the sum of the field's values and
 * how many there were.
 *
 * <p>Running window totals add and subtract doubles, so a total may differ from a fresh sum by
 * rounding (exact while values and sums are integers below 2^53, or other exactly representable
 * values); when the last value leaves, the sum is reset to exactly 0 so rounding never
 * accumulates across emptied windows.
 */
final class SumCells extends Cells {

  private double[] sums = new double[0];
  private long[] counts = new long[0];

  SumCells(Measure measure) {
    super(measure);
  }

  @Override
  void grow(int rows) {
    if (rows > sums.length) {
      sums = Arrays.copyOf(sums, rows);
      counts = Arrays.copyOf(counts, rows);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    double v = number(event);
    if (!Double.isNaN(v)) {
      sums[row] += v;
      counts[row]++;
    }
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    SumCells f = (SumCells) from;
    sums[row] += f.sums[fromRow];
    counts[row] += f.counts[fromRow];
  }

  @Override
  void subtract(int row, Cells from, int fromRow) {
    SumCells f = (SumCells) from;
    counts[row] -= f.counts[fromRow];
    sums[row] = counts[row] == 0 ? 0 : sums[row] - f.sums[fromRow];
  }

  @Override
  void clear(int row) {
    sums[row] = 0;
    counts[row] = 0;
  }

  @Override
  double value(int row, double seconds) {
    return switch (measure.aggregation()) {
      case AVG -> counts[row] == 0 ? Double.NaN : sums[row] / counts[row];
      case RATE -> sums[row] / seconds;
      default -> sums[row];
    };
  }
}
