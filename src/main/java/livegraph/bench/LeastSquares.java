package livegraph.bench;

/** The slope of the least-squares line through points (x, y): how fast y grows with x. */
final class LeastSquares {

  private LeastSquares() {}

  /** NaN with fewer than two points or all x equal. */
  static double slope(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + ", " + y.length);
    }
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }
}
