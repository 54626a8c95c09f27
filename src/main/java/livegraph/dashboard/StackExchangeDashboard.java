package livegraph.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The built-in dashboard of StackExchange network activity: what the original page counted
 * (questions by community, Stack Overflow's top tags) plus activity over time and the latest
 * questions. It is an ordinary dashboard file, {@code dashboards/stackexchange.yaml} on the
 * classpath, written in the same vocabulary as any user's.
 */
public final class StackExchangeDashboard {

  /** The classpath resource of the dashboard. */
  public static final String RESOURCE = "/dashboards/stackexchange.yaml";

  private StackExchangeDashboard() {}

  /**
   * Loads the built-in file.
   *
   * @throws IllegalStateException when the packaged file is missing or invalid: a build defect
   */
  public static Dashboard create() {
    try (InputStream in = StackExchangeDashboard.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return DashboardLoader.parse(in.readNBytes(DashboardLoader.MAX_BYTES + 1),
          "stackexchange.yaml", Path.of(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DashboardException e) {
      throw new IllegalStateException("the built-in dashboard is invalid:\n" + e.getMessage(), e);
    }
  }
}
