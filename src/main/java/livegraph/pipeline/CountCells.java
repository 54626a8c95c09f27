package livegraph.pipeline;

import java.util.Arrays;

/** {@code count} and {@code rate} (events per second): a count of events per row. */
final class CountCells extends Cells {

  private long[] counts = new long[0];

  CountCells(Measure measure) {
    super(measure);
  }

  @Override
  void grow(int rows) {
    if (rows > counts.length) {
      counts = Arrays.copyOf(counts, rows);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    counts[row]++;
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    counts[row] += ((CountCells) from).counts[fromRow];
  }

  @Override
  void subtract(int row, Cells from, int fromRow) {
    counts[row] -= ((CountCells) from).counts[fromRow];
  }

  @Override
  void clear(int row) {
    counts[row] = 0;
  }

  @Override
  double value(int row, double seconds) {
    return measure.aggregation() == Measure.Aggregation.RATE
        ? counts[row] / seconds : counts[row];
  }
}
