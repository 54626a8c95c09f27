package livegraph.source;

import org.slf4j.Logger;

/**
 * Logs skipped upstream frames at WARN at most once a minute, saying how many more were
 * skipped meanwhile, so a feed full of bad frames cannot flood the log. Owned by one thread.
 */
final class SkipLog {

  private static final long INTERVAL_MILLIS = 60_000;

  private final Logger log;
  private final String source;
  private boolean warned;
  private long nextWarnAtMillis;
  private long suppressed; // skips not logged since the last line

  SkipLog(Logger log, String source) {
    this.log = log;
    this.source = source;
  }

  void skipped(SkipReason reason, long nowMillis) {
    if (warned && nowMillis < nextWarnAtMillis) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn("{}: skipped a frame ({}); {} more skipped since the last warning", source, reason, suppressed);
    } else {
      log.warn("{}: skipped a frame ({})", source, reason);
    }
    warned = true;
    suppressed = 0;
    nextWarnAtMillis = nowMillis + INTERVAL_MILLIS;
  }
}
