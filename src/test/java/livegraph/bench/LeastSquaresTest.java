package livegraph.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LeastSquaresTest {

  @Test
  void slope_ofPointsOnALine_isItsSlope() {
    assertThat(LeastSquares.slope(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11}))
        .isCloseTo(2, within(1e-12));
  }

  @Test
  void slope_ofNoisyPoints_isTheBestFit() {
    // y = x + noise that sums to zero against x: the fit is the line through the means.
    assertThat(LeastSquares.slope(new double[] {0, 1, 2, 3}, new double[] {1, 1, 3, 3}))
        .isCloseTo(0.8, within(1e-12));
  }

  @Test
  void slope_withTooFewPointsOrOneX_isNaN() {
    assertThat(LeastSquares.slope(new double[] {1}, new double[] {2})).isNaN();
    assertThat(LeastSquares.slope(new double[] {1, 1}, new double[] {2, 3})).isNaN();
  }
}
