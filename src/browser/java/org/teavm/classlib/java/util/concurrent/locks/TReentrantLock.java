package org.teavm.classlib.java.util.concurrent.locks;

/**
 * {@code java.util.concurrent.locks.ReentrantLock} for the browser build (jackson-core's
 * {@code InternCache} takes one): the hold count only, since a page has one thread and a lock
 * it holds is the only one it can ask for again.
 */
public class TReentrantLock implements TLock {

  private int holds;

  public TReentrantLock() {}

  public TReentrantLock(boolean fair) {}

  @Override
  public void lock() {
    holds++;
  }

  @Override
  public boolean tryLock() {
    holds++;
    return true;
  }

  @Override
  public void unlock() {
    if (holds == 0) {
      throw new IllegalMonitorStateException("unlock of a lock not held");
    }
    holds--;
  }

  public boolean isLocked() {
    return holds > 0;
  }

  public boolean isHeldByCurrentThread() {
    return holds > 0;
  }

  public int getHoldCount() {
    return holds;
  }
}
