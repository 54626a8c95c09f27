package livegraph.pipeline;

import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * {@code distinct(F)}: per row a HyperLogLog sketch of the field's values (DataSketches {@link
 * HllSketch}, lgK = {@value #LG_K}, 8-bit registers).
 *
 * <p>Accuracy: up to 192 distinct values (3/4 of 2^(lgK - 3)) the sketch keeps every value's
 * 26-bit hash (list and set modes), so the count is exact but for hash collisions (about 0.0003
 * expected at 192 values); beyond, in HLL mode, the relative standard error is 1.04 /
 * sqrt(2^11) = 2.3% (within 6.9% at three standard errors). lgK 11 balances that error against 2 KiB per full sketch, which a
 * chart holds per key and bucket. Values are the texts of the field (each element of a list),
 * so 1 and "1" are the same value.
 */
final class DistinctCells extends Cells {

  static final int LG_K = 11;

  private HllSketch[] sketches = new HllSketch[0]; // values added to this row
  private Union[] unions = new Union[0]; // rows that received merges (window and other rows)

  DistinctCells(Measure measure) {
    super(measure);
  }

  @Override
  void grow(int rows) {
    if (rows > sketches.length) {
      sketches = Arrays.copyOf(sketches, rows);
      unions = Arrays.copyOf(unions, rows);
    }
  }

  @Override
  void add(int row, Event event, long time, long seq) {
    for (String text : Values.texts(event.fields().get(measure.field()))) {
      if (unions[row] != null) {
        unions[row].update(text);
      } else {
        if (sketches[row] == null) {
          sketches[row] = new HllSketch(LG_K, TgtHllType.HLL_8);
        }
        sketches[row].update(text);
      }
    }
  }

  @Override
  void merge(int row, Cells from, int fromRow) {
    DistinctCells f = (DistinctCells) from;
    HllSketch source = f.sketches[fromRow] != null ? f.sketches[fromRow]
        : f.unions[fromRow] != null ? f.unions[fromRow].getResult() : null;
    if (source == null) {
      return;
    }
    if (unions[row] == null) {
      unions[row] = new Union(LG_K);
      if (sketches[row] != null) {
        unions[row].update(sketches[row]);
        sketches[row] = null;
      }
    }
    unions[row].update(source);
  }

  @Override
  void clear(int row) {
    sketches[row] = null;
    unions[row] = null;
  }

  /** The estimate rounded to a whole number of values. */
  @Override
  double value(int row, double seconds) {
    if (unions[row] != null) {
      return Math.round(unions[row].getEstimate());
    }
    return sketches[row] == null ? 0 : Math.round(sketches[row].getEstimate());
  }
}
