package livegraph.engine;

import java.util.Random;
import livegraph.dashboard.DashboardException;
import org.teavm.jso.JSClass;
import org.teavm.jso.JSExport;

/**
 * The exported page's view of {@link Engine}: the one global {@code livegraphEngine} of
 * {@code web/export/engine.js}, whose functions are these static methods. Strings in and out
 * (JSON text where {@link Engine} says so), times as JavaScript numbers of epoch milliseconds.
 * A Java exception reaches the page as an {@code Error} with the exception's message.
 */
@JSClass(name = "livegraphEngine")
public final class LivegraphEngine {

  private static final Engine ENGINE = new Engine(new Random());

  private LivegraphEngine() {}

  /** {@link Engine#open}; problems in the file throw an Error whose message lists them. */
  @JSExport
  public static String open(String yaml, String fileName, double nowMillis) {
    try {
      return ENGINE.open(yaml, fileName, millis(nowMillis));
    } catch (DashboardException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** {@link Engine#sources}. */
  @JSExport
  public static String sources() {
    return ENGINE.sources();
  }

  /** {@link Engine#frame}. */
  @JSExport
  public static String frame(String source, String text, double nowMillis) {
    return ENGINE.frame(source, text, millis(nowMillis));
  }

  /** {@link Engine#sseEvent}. */
  @JSExport
  public static String sseEvent(String source, String type, String data, String lastEventId,
      double nowMillis) {
    return ENGINE.sseEvent(source, type, data, lastEventId, millis(nowMillis));
  }

  /** {@link Engine#tick}: null when no chart changed. */
  @JSExport
  public static String tick(double nowMillis) {
    return ENGINE.tick(millis(nowMillis));
  }

  /** {@link Engine#snapshot}. */
  @JSExport
  public static String snapshot() {
    return ENGINE.snapshot();
  }

  /** {@link Engine#counters}. */
  @JSExport
  public static String counters() {
    return ENGINE.counters();
  }

  /** {@link Engine#backoffMillis}. */
  @JSExport
  public static double backoffMillis(int attempt) {
    return ENGINE.backoffMillis(attempt);
  }

  private static long millis(double value) {
    if (!(value >= 0 && value <= 0x1p53)) {
      throw new IllegalArgumentException("nowMillis must be epoch milliseconds: " + value);
    }
    return (long) value;
  }
}
