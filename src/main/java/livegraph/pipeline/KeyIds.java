package livegraph.pipeline;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Interns the keys of one chart as small ints, so rows of cells are arrays indexed by id
 * instead of maps of strings, and counts how many holders (ring buckets) use each id.
 *
 * <p>Bound: at most {@code capacity} ids live at once; {@link #admit} refuses a new key when
 * full (the caller counts it as overflow). An id whose last holder {@link #release}s it is
 * freed and reused, so a key that left every window frees its slot. Ids are dense: every live
 * id is below {@link #limit()}, itself at most {@code capacity}. Pipeline thread only.
 */
final class KeyIds {

  private final int capacity;
  private final HashMap<String, Integer> ids = new HashMap<>();
  private String[] keys = new String[16]; // by id; null = free
  private int[] holders = new int[16]; // by id
  private int[] free = new int[16]; // stack of freed ids below limit
  private int freeCount;
  private int limit; // ids ever handed out: all live ids are below it

  KeyIds(int capacity) {
    this.capacity = Checks.positive(capacity, "key capacity");
  }

  /** The id of {@code key}, or -1 when it has none. */
  int id(String key) {
    Integer id = ids.get(key);
    return id == null ? -1 : id;
  }

  /** The id of {@code key}, given a new one if needed; -1 when new and no id is free. */
  int admit(String key) {
    Integer known = ids.get(key);
    if (known != null) {
      return known;
    }
    int id;
    if (freeCount > 0) {
      id = free[--freeCount];
    } else if (limit < capacity) {
      id = limit++;
      if (id == keys.length) {
        int grown = Math.min(capacity, keys.length * 2);
        keys = Arrays.copyOf(keys, grown);
        holders = Arrays.copyOf(holders, grown);
      }
    } else {
      return -1;
    }
    keys[id] = key;
    holders[id] = 0;
    ids.put(key, id);
    return id;
  }

  String key(int id) {
    return keys[id];
  }

  /** Whether {@code id} belongs to a key now. */
  boolean live(int id) {
    return id < limit && keys[id] != null;
  }

  /** One more holder of {@code id}. */
  void retain(int id) {
    holders[id]++;
  }

  /**
   * One holder fewer; at none the key is forgotten and its id reused.
   *
   * @return whether the id was freed
   */
  boolean release(int id) {
    if (--holders[id] > 0) {
      return false;
    }
    ids.remove(keys[id]);
    keys[id] = null;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = id;
    return true;
  }

  /** Live keys. */
  int size() {
    return ids.size();
  }

  /** All live ids are below this. */
  int limit() {
    return limit;
  }

  int capacity() {
    return capacity;
  }
}
