package org.teavm.classlib.java.util.concurrent.locks;

/**
 * {@code java.util.concurrent.locks.Lock} for the browser build, where TeaVM's class library
 * has none: the part jackson-core uses. A page runs on one thread, so nothing ever waits.
 */
public interface TLock {

  void lock();

  boolean tryLock();

  void unlock();
}
