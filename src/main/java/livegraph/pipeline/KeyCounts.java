package livegraph.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts per key; a key whose count falls to zero is removed, so {@link #size()} is the number
 * of live keys and callers can bound it.
 */
final class KeyCounts {

  /** Higher count first, then key ascending: the order bars and series are shown in. */
  static final Comparator<Ranked> BY_RANK =
      Comparator.comparingLong(Ranked::count).reversed().thenComparing(Ranked::key);

  private final HashMap<String, Count> counts = new HashMap<>();

  int size() {
    return counts.size();
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  boolean contains(String key) {
    return counts.containsKey(key);
  }

  long get(String key) {
    Count count = counts.get(key);
    return count == null ? 0 : count.value;
  }

  void add(String key, long delta) {
    Count count = counts.computeIfAbsent(key, k -> new Count());
    count.value += delta;
    if (count.value <= 0) {
      counts.remove(key);
    }
  }

  /** Subtracts every count of {@code other}, which must be part of this one. */
  void subtract(KeyCounts other) {
    other.counts.forEach((key, count) -> add(key, -count.value));
  }

  void clear() {
    counts.clear();
  }

  /** The {@code k} best keys by {@link #BY_RANK}, best first; a bounded heap, O(n log k). */
  List<Ranked> top(int k) {
    if (k <= 0) {
      return List.of();
    }
    // Worst kept entry at the head, so a better candidate replaces it in O(log k).
    PriorityQueue<Ranked> heap = new PriorityQueue<>(Math.min(k, 64) + 1, BY_RANK.reversed());
    counts.forEach((key, count) -> {
      if (heap.size() < k) {
        heap.add(new Ranked(key, count.value));
      } else if (count.value >= heap.peek().count()) {
        Ranked candidate = new Ranked(key, count.value);
        if (BY_RANK.compare(candidate, heap.peek()) < 0) {
          heap.poll();
          heap.add(candidate);
        }
      }
    });
    List<Ranked> top = new ArrayList<>(heap);
    top.sort(BY_RANK);
    return top;
  }

  Collection<String> keys() {
    return counts.keySet();
  }

  /** One key and its count. */
  record Ranked(String key, long count) {}

  /** Mutable so an increment does not allocate. */
  private static final class Count {
    long value;
  }
}
