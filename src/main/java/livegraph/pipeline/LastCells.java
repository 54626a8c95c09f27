package livegraph.pipeline;

import java.util.Arrays;

/**
 * {@code last(F)}: per row the value of the newest event with one, newest by event time and,
 * among equal times, by arrival (a late event does not replace a newer one).
 */
final class LastCells extends Cells {

  private double[] values = new double[0];
  private long[] times = new long[0];
  private long[] seqs = new long[0]; // arrival order, 0 = no value

  LastCells(Measure measure) {
    super(measure);
  }

  @Override
  void grow(int rows) {
    if (rows > values.length) {
      values = Arrays.copyOf(values, rows);
      times = Arrays.copyOf(times, rows);
      seqs = Arrays.copyOf(seqs, rows);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    double v = number(event);
    if (!Double.isNaN(v)) {
      take(row, v, time, seq);
    }
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    LastCells f = (LastCells) from;
    if (f.seqs[fromRow] != 0) {
      take(row, f.values[fromRow], f.times[fromRow], f.seqs[fromRow]);
    }
  }

  private void take(int row, double v, long time, long seq) {
    if (seqs[row] == 0 || time > times[row] || (time == times[row] && seq > seqs[row])) {
      values[row] = v;
      times[row] = time;
      seqs[row] = seq;
    }
  }

  @Override
  void clear(int row) {
    seqs[row] = 0;
  }

  @Override
  double value(int row, double seconds) {
    return seqs[row] == 0 ? Double.NaN : values[row];
  }
}
