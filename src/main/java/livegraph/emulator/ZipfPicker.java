package livegraph.emulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws ranks {@code 0..n-1} with probability proportional to {@code 1/(rank+1)^exponent}. */
final class ZipfPicker {

  private final double[] cumulative; // immutable after construction

  ZipfPicker(int n, double exponent) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
  }

  int next(SplittableRandom random) {
    double u = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, u);
    int rank = i >= 0 ? i : -i - 1;
    return Math.min(rank, cumulative.length - 1);
  }
}
