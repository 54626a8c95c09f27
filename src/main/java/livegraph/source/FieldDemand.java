package livegraph.source;

import java.util.Objects;
import java.util.Set;

/**
 * The event fields someone reads (a dashboard's charts), shared by the decoders of its sources
 * so that they extract only those. Changed in place when the dashboard is edited: a source keeps
 * its decoder and its connection (a chart edit must not reconnect an upstream), and each decoder
 * sees the new set from its next message on.
 *
 * <p>Thread-safe: written by the wiring thread, read by every source's thread.
 */
public final class FieldDemand {

  private volatile Set<String> keys; // null: every extract; replaced whole, never mutated

  private FieldDemand(Set<String> keys) {
    this.keys = keys;
  }

  /** Every field a decoding extracts; never narrowed. What a source alone, in a test, uses. */
  public static FieldDemand all() {
    return new FieldDemand(null);
  }

  /** Only the extracts whose key is in {@code keys}, until {@link #set} says otherwise. */
  public static FieldDemand of(Set<String> keys) {
    return new FieldDemand(Set.copyOf(Objects.requireNonNull(keys, "keys")));
  }

  /** From the next message on, decoders extract only the fields named in {@code keys}. */
  public void set(Set<String> keys) {
    this.keys = Set.copyOf(Objects.requireNonNull(keys, "keys"));
  }

  /** The fields wanted, or {@code null} for every one; the same object until {@link #set}. */
  Set<String> keys() {
    return keys;
  }

  @Override
  public String toString() {
    Set<String> k = keys;
    return k == null ? "FieldDemand[all]" : "FieldDemand" + k;
  }
}
