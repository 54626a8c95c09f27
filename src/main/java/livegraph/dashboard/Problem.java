package livegraph.dashboard;

/**
 * One mistake in a dashboard file, where it is and what was expected.
 *
 * @param file the file as the user named it (or a display name for text from elsewhere)
 * @param line 1-based line
 * @param column 1-based column
 * @param message names the key or field and what was expected
 */
public record Problem(String file, int line, int column, String message) {

  public Problem {
    if (file == null || message == null) {
      throw new IllegalArgumentException("problem file and message must not be null");
    }
  }

  /** {@code file:line:column: message}, the form editors and terminals link to. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
