package livegraph.engine.shim.sun.misc;

/**
 * {@code sun.misc.Unsafe} in the browser build: named by datasketches-memory, never reached on
 * the on-heap path livegraph's sketches take; every method throws.
 */
public final class Unsafe {

  private Unsafe() {}

  private static UnsupportedOperationException unavailable() {
    return new UnsupportedOperationException("off-heap memory is not available in the browser");
  }

  public int addressSize() {
    throw unavailable();
  }

  public int arrayIndexScale(Class<?> type) {
    throw unavailable();
  }

  public int arrayBaseOffset(Class<?> type) {
    throw unavailable();
  }

  public void copyMemory(Object src, long srcOffset, Object dst, long dstOffset, long bytes) {
    throw unavailable();
  }

  public byte getByte(Object o, long offset) {
    throw unavailable();
  }

  public void putByte(Object o, long offset, byte v) {
    throw unavailable();
  }

  public void putDouble(Object o, long offset, double v) {
    throw unavailable();
  }

  public void putInt(Object o, long offset, int v) {
    throw unavailable();
  }

  public void putLong(Object o, long offset, long v) {
    throw unavailable();
  }
}
