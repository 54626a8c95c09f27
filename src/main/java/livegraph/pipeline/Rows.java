package livegraph.pipeline;

import java.util.Arrays;

/**
 * Rows of cells, one row per key id, one {@link Cells} per measure, plus each row's event count
 * (which says whether the key occurred at all, whatever its measures saw).
 *
 * <p>Two layouts. Sparse, for buckets: rows are appended as keys first occur and found through
 * an open-addressing table of ids, so a bucket costs only what it holds. Dense, for window
 * totals: the row of id i is row i, for tables whose ids are most of the chart's keys anyway.
 * Pipeline thread only.
 */
final class Rows {

  private final Cells[] columns;
  private final boolean dense;
  private long[] events = new long[0]; // by row
  private int[] ids = new int[0]; // sparse: the key id of each row
  private int[] table; // sparse: row + 1 by hash slot, 0 = empty; length a power of two
  private int size; // sparse: rows in use; dense: rows allocated

  private Rows(Measure[] measures, boolean dense) {
    columns = new Cells[measures.length];
    for (int i = 0; i < measures.length; i++) {
      columns[i] = Cells.of(measures[i]);
    }
    this.dense = dense;
    table = dense ? null : new int[8];
  }

  static Rows sparse(Measure[] measures) {
    return new Rows(measures, false);
  }

  static Rows dense(Measure[] measures) {
    return new Rows(measures, true);
  }

  /** Sparse: rows in use. Dense: rows allocated, live or not. */
  int size() {
    return size;
  }

  int columns() {
    return columns.length;
  }

  /** The key id of {@code row}. */
  int id(int row) {
    return dense ? row : ids[row];
  }

  /** The row of {@code id}, or -1 when it has none (dense: none allocated, or no event). */
  int row(int id) {
    if (dense) {
      return id < size && events[id] > 0 ? id : -1;
    }
    int mask = table.length - 1;
    for (int slot = mix(id) & mask; ; slot = (slot + 1) & mask) {
      int row = table[slot] - 1;
      if (row < 0) {
        return -1;
      }
      if (ids[row] == id) {
        return row;
      }
    }
  }

  /** The row of {@code id}, added empty if missing. */
  int rowFor(int id) {
    if (dense) {
      if (id >= size) {
        grow(Math.max(id + 1, Math.min(size * 2, Integer.MAX_VALUE - 8)));
        size = events.length;
      }
      return id;
    }
    int row = row(id);
    if (row >= 0) {
      return row;
    }
    row = size++;
    if (row == ids.length) {
      grow(Math.max(4, row * 2));
    }
    ids[row] = id;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    } else {
      insert(row);
    }
    return row;
  }

  private void grow(int rows) {
    events = Arrays.copyOf(events, rows);
    if (!dense) {
      ids = Arrays.copyOf(ids, rows);
    }
    for (Cells column : columns) {
      column.grow(rows);
    }
  }

  private void rehash(int length) {
    table = new int[length];
    for (int row = 0; row < size; row++) {
      insert(row);
    }
  }

  private void insert(int row) {
    int mask = table.length - 1;
    int slot = mix(ids[row]) & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = row + 1;
  }

  /** Spreads sequential ids over the table (Fibonacci hashing). */
  private static int mix(int id) {
    return id * 0x9E3779B9 >>> 7;
  }

  /** Events of {@code row}. */
  long events(int row) {
    return events[row];
  }

  /** Takes one event into every column of {@code row}. */
  void add(int row, Event event, long time, long seq) {
    events[row]++;
    for (Cells column : columns) {
      column.add(row, event, time, seq);
    }
  }

  /** Takes one event into the subtractable columns of {@code row} (and its event count). */
  void addSubtractable(int row, Event event, long time, long seq) {
    events[row]++;
    for (Cells column : columns) {
      if (column.measure.subtractable()) {
        column.add(row, event, time, seq);
      }
    }
  }

  /** Merges every column of {@code from}'s row into {@code row}. */
  void merge(int row, Rows from, int fromRow) {
    events[row] += from.events[fromRow];
    for (int c = 0; c < columns.length; c++) {
      columns[c].merge(row, from.columns[c], fromRow);
    }
  }

  /** Merges only the columns that are not subtractable (their totals are re-merged). */
  void mergeNonSubtractable(int row, Rows from, int fromRow) {
    for (int c = 0; c < columns.length; c++) {
      if (!columns[c].measure.subtractable()) {
        columns[c].merge(row, from.columns[c], fromRow);
      }
    }
  }

  /** Takes the event count and subtractable columns of {@code from}'s row back out. */
  void subtract(int row, Rows from, int fromRow) {
    events[row] -= from.events[fromRow];
    for (int c = 0; c < columns.length; c++) {
      if (columns[c].measure.subtractable()) {
        columns[c].subtract(row, from.columns[c], fromRow);
      }
    }
  }

  /** Empties the columns that are not subtractable of every row. */
  void clearNonSubtractable() {
    for (Cells column : columns) {
      if (!column.measure.subtractable()) {
        for (int row = 0; row < size; row++) {
          column.clear(row);
        }
      }
    }
  }

  /** Empties {@code row} (dense layout; sparse rows are only cleared all at once). */
  void clear(int row) {
    if (row < size) {
      events[row] = 0;
      for (Cells column : columns) {
        column.clear(row);
      }
    }
  }

  /** Empties every row. */
  void clear() {
    for (int row = 0; row < size; row++) {
      events[row] = 0;
      for (Cells column : columns) {
        column.clear(row);
      }
    }
    if (!dense) {
      Arrays.fill(table, 0);
      size = 0;
    }
  }

  /** Column {@code c}'s value of {@code row}; NaN for none. */
  double value(int row, int c, double seconds) {
    return columns[c].value(row, seconds);
  }
}
