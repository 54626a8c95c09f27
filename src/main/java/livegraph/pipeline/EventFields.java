package livegraph.pipeline;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An event's fields built once by a decoder and handed to {@link Event} as they are: an
 * immutable map over a fixed list of keys ({@link Layout}) and one array of values, where a
 * {@code null} value means the field is absent. {@link Event} keeps such a map without copying
 * it; any other map it copies.
 *
 * <p>Why: the decoder used to fill a {@code HashMap} that {@code Event} then copied with {@code
 * Map.copyOf}, two maps per event (7% of the ingest path's allocation, BENCHMARKS.md). Here an
 * event costs this object and its value array; the keys are shared by every event of a layout.
 * A lookup scans the few keys (a decoder extracts a handful), identity first, so a chart asking
 * with the decoder's own key strings pays no {@code equals}.
 */
public final class EventFields extends AbstractMap<String, Object> {

  private final String[] keys; // shared with the layout and every map of it; never written
  private final Object[] values; // this map's alone, written only by its builder before build()
  private final int size;

  private EventFields(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
    int n = 0;
    for (Object v : values) {
      if (v != null) {
        n++;
      }
    }
    this.size = n;
  }

  /** The keys maps may have, in slot order; each map holds a value for some of them. */
  public static final class Layout {
    private final String[] keys;

    /**
     * @param keys distinct, non-null; slot {@code i} of every builder is {@code keys.get(i)}
     * @throws IllegalArgumentException naming a repeated key
     */
    public Layout(List<String> keys) {
      this.keys = keys.toArray(new String[0]);
      for (int i = 0; i < this.keys.length; i++) {
        Objects.requireNonNull(this.keys[i], "key");
        for (int j = 0; j < i; j++) {
          if (this.keys[j].equals(this.keys[i])) {
            throw new IllegalArgumentException("key repeated in a layout: " + this.keys[i]);
          }
        }
      }
    }

    /** The number of slots. */
    public int size() {
      return keys.length;
    }

    /** The key of {@code slot}. */
    public String key(int slot) {
      return keys[slot];
    }

    /** A builder of one map, every slot empty. */
    public Builder builder() {
      return new Builder(keys);
    }
  }

  /** Fills the slots of one map, then hands its array to the map: no copy, once. */
  public static final class Builder {
    private final String[] keys;
    private Object[] values;

    private Builder(String[] keys) {
      this.keys = keys;
      this.values = new Object[keys.length];
    }

    /** Sets {@code slot} to {@code value}; {@code null} leaves the field absent. */
    public Builder set(int slot, Object value) {
      if (values == null) {
        throw new IllegalStateException("already built");
      }
      values[slot] = value;
      return this;
    }

    /** The value set in {@code slot}, or {@code null}. */
    public Object get(int slot) {
      return values[slot];
    }

    /** The map; the builder cannot be used again. */
    public EventFields build() {
      Object[] v = values;
      if (v == null) {
        throw new IllegalStateException("already built");
      }
      values = null;
      return new EventFields(keys, v);
    }
  }

  @Override
  public Object get(Object key) {
    String[] k = keys;
    for (int i = 0; i < k.length; i++) {
      if (k[i] == key) {
        return values[i];
      }
    }
    if (key instanceof String) {
      for (int i = 0; i < k.length; i++) {
        if (k[i].equals(key)) {
          return values[i];
        }
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < values.length && values[i] == null) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < values.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= values.length) {
              throw new NoSuchElementException();
            }
            Entry<String, Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
            next = advance(next + 1);
            return e;
          }
        };
      }
    };
  }

  // AbstractMap's mutators already throw UnsupportedOperationException (put, and remove and
  // clear through the entry set's iterator, which has no remove).

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        if (s.length() > 1) {
          s.append(", ");
        }
        s.append(keys[i]).append('=').append(values[i]);
      }
    }
    return s.append('}').toString();
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        h += keys[i].hashCode() ^ values[i].hashCode();
      }
    }
    return h;
  }
}
