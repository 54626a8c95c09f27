package livegraph.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians of several runs' results, figure by figure. */
final class Medians {

  private Medians() {}

  /**
   * The median of the values that are numbers (NaN and null left out); NaN when there are none.
   * An even count takes the mean of the middle two.
   */
  static double median(List<? extends Number> values) {
    double[] v = values.stream().filter(x -> x != null && !Double.isNaN(x.doubleValue()))
        .mapToDouble(Number::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /**
   * One map holding, for every key of the first run, the median over all runs when its values
   * are numbers (a whole number when they all are and the median is), else the first run's
   * value. Each figure's median is taken on its own, so the
   * medians of p50 and p99 may come from different runs.
   */
  static Map<String, Object> of(List<Map<String, Object>> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to take medians of");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : runs.get(0).entrySet()) {
      if (e.getValue() instanceof Number) {
        List<Number> values = new ArrayList<>();
        for (Map<String, Object> run : runs) {
          values.add(run.get(e.getKey()) instanceof Number n ? n : null);
        }
        double m = median(values);
        boolean whole = values.stream().allMatch(v -> v instanceof Integer || v instanceof Long);
        out.put(e.getKey(), whole && m == Math.rint(m) ? (Object) (long) m : (Object) m);
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
