package livegraph.emulator;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Draws a site with probability proportional to its weight (total question count). */
final class WeightedSites {

  private final List<Sites.Site> sites;
  private final long[] cumulative; // immutable; cumulative[i] = sum of weights 0..i

  WeightedSites(List<Sites.Site> sites) {
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("sites must not be empty");
    }
    this.sites = List.copyOf(sites);
    cumulative = new long[sites.size()];
    long sum = 0;
    for (int i = 0; i < sites.size(); i++) {
      sum += sites.get(i).weight();
      cumulative[i] = sum;
    }
  }

  Sites.Site next(SplittableRandom random) {
    long u = random.nextLong(cumulative[cumulative.length - 1]); // in [0, total)
    int i = Arrays.binarySearch(cumulative, u);
    // cumulative[i] == u means u is the first value of site i+1's range.
    int index = i >= 0 ? i + 1 : -i - 1;
    return sites.get(index);
  }

  List<Sites.Site> sites() {
    return sites;
  }
}
