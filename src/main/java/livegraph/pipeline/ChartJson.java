package livegraph.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Encodes chart states to UTF-8 JSON with one shared, thread-safe {@link JsonFactory}. */
final class ChartJson {

  static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** Integral doubles below this are written without a fraction: 3 rather than 3.0. */
  private static final double EXACT_LONG = 1L << 53;

  private ChartJson() {}

  static byte[] encode(Aggregator aggregator) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      aggregator.write(json);
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; Jackson declares the exception anyway.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Writes a measure's value: null for none (NaN) and for non-finite values, which JSON cannot
   * hold (a sum can overflow to infinity); whole numbers without a fraction.
   */
  static void value(JsonGenerator json, double v) throws IOException {
    if (!Double.isFinite(v)) {
      json.writeNull();
    } else if (v == Math.rint(v) && Math.abs(v) < EXACT_LONG) {
      json.writeNumber((long) v);
    } else {
      // Double.toString is what Jackson writes by default; asking for it by name keeps
      // Jackson's optional fast writer unreachable, which the browser build cannot compile.
      json.writeNumber(Double.toString(v));
    }
  }
}
