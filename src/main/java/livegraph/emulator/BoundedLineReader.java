package livegraph.emulator;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@code BufferedReader.readLine}, but never holds more than
 * {@code maxChars} of one line: the rest of a longer line is read and discarded, and the
 * line is reported as too long.
 */
final class BoundedLineReader implements Closeable {

  /** One line: its text (null when too long) and its 1-based number. */
  record Line(long number, String text) {
    boolean tooLong() {
      return text == null;
    }
  }

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[8192]; // read-ahead, bounded
  private int position;
  private int limit;
  private long lineNumber;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, or null at end of input. */
  Line next() throws IOException {
    StringBuilder line = new StringBuilder();
    boolean overflow = false;
    boolean sawAny = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (!sawAny) {
            return null;
          }
          return finish(line, overflow);
        }
      }
      sawAny = true;
      char c = buffer[position++];
      if (c == '\n') {
        return finish(line, overflow);
      }
      if (overflow) {
        continue;
      }
      if (line.length() >= maxChars) {
        overflow = true;
        line.setLength(0);
        line.trimToSize();
      } else {
        line.append(c);
      }
    }
  }

  private Line finish(StringBuilder line, boolean overflow) {
    lineNumber++;
    if (overflow) {
      return new Line(lineNumber, null);
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return new Line(lineNumber, line.substring(0, end));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
