package org.teavm.classlib.java.util.concurrent.atomic;

/**
 * {@code java.util.concurrent.atomic.AtomicReferenceArray} for the browser build (jackson-core's
 * {@code BufferRecycler} keeps its buffers in one): a plain array, since a page has one thread.
 */
public class TAtomicReferenceArray<E> {

  private final Object[] array;

  public TAtomicReferenceArray(int length) {
    array = new Object[length];
  }

  public final int length() {
    return array.length;
  }

  @SuppressWarnings("unchecked")
  public final E get(int i) {
    return (E) array[i];
  }

  public final void set(int i, E value) {
    array[i] = value;
  }

  public final void lazySet(int i, E value) {
    array[i] = value;
  }

  @SuppressWarnings("unchecked")
  public final E getAndSet(int i, E value) {
    E old = (E) array[i];
    array[i] = value;
    return old;
  }

  public final boolean compareAndSet(int i, E expected, E value) {
    if (array[i] != expected) {
      return false;
    }
    array[i] = value;
    return true;
  }
}
