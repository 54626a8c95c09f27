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
}
