package livegraph.engine.shim.org.slf4j;

import org.slf4j.Logger;

/** {@code org.slf4j.LoggerFactory} in the browser build: every logger writes to the console. */
public final class LoggerFactory {

  private LoggerFactory() {}

  public static Logger getLogger(String name) {
    return new ConsoleLogger(name);
  }

  public static Logger getLogger(Class<?> type) {
    return getLogger(type.getName());
  }
}
