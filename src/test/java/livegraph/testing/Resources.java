package livegraph.testing;

/** Closing what a test class started. */
public final class Resources {

  private Resources() {}

  /**
   * Closes each resource that is not null, in the order given, all of them even when one
   * fails; then throws the first failure, with the later ones suppressed in it.
   */
  public static void closeAll(AutoCloseable... resources) throws Exception {
    Exception failed = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
