package livegraph.pipeline;

/**
 * One measure's cells for many rows, in arrays indexed by row so a row costs a few primitive
 * slots instead of an object (see {@link Rows}). Pipeline thread only.
 *
 * <p>Cells are mergeable: the cell of a window or of the "other" row is the merge of the cells of
 * its buckets or keys. Subtractable ones (count, sum, avg, rate) can also take a merged cell
 * back out, so window totals are kept running instead of re-merged.
 */
abstract class Cells {

  final Measure measure;

  Cells(Measure measure) {
    this.measure = measure;
  }

  static Cells of(Measure measure) {
    return switch (measure.aggregation()) {
      case COUNT -> new CountCells(measure);
      case RATE -> measure.field() == null ? new CountCells(measure) : new SumCells(measure);
      case SUM, AVG -> new SumCells(measure);
      case MIN, MAX -> new ExtremeCells(measure);
      case LAST -> new LastCells(measure);
      case DISTINCT -> new DistinctCells(measure);
      case QUANTILE -> new QuantileCells(measure);
    };
  }

  /** Makes room for rows {@code [0, rows)}. */
  abstract void grow(int rows);

  /** Takes one event into the cell of {@code row}; {@code seq} orders events that arrived. */
  abstract void add(int row, Event event, long time, long seq);

  /** Merges {@code from}'s cell {@code fromRow} (of the same measure) into {@code row}. */
  abstract void merge(int row, Cells from, int fromRow);

  /** Takes a cell that was merged into {@code row} back out; subtractable cells only. */
  void subtract(int row, Cells from, int fromRow) {
    throw new UnsupportedOperationException(measure + " is not subtractable");
  }

  /** Empties the cell of {@code row}. */
  abstract void clear(int row);

  /**
   * The measure's value of {@code row}, {@code NaN} for none (no value: avg, min, max, last and
   * quantiles of no values).
   *
   * @param seconds the time the cell covers, for rates
   */
  abstract double value(int row, double seconds);

  /** The value of an empty cell: 0 for counts, sums, rates and distinct counts, else none. */
  static double emptyValue(Measure measure) {
    return switch (measure.aggregation()) {
      case COUNT, SUM, RATE, DISTINCT -> 0;
      default -> Double.NaN;
    };
  }

  /** The measure's number in an event, {@code NaN} when absent or not numeric. */
  final double number(Event event) {
    return Values.number(event.fields().get(measure.field()));
  }
}
