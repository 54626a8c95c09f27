package livegraph.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * JSON lines in a file.
 *
 * @param follow {@code true}: like {@code tail -F}, start at the end and keep reading new lines
 *     through rotation and truncation; {@code false}: read from the start to the end, then CLOSED
 */
public record FileSpec(String name, Path path, boolean follow, Decoding decoding)
    implements SourceSpec {

  public FileSpec {
    SpecChecks.name(name);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return (follow ? "following " : "file ") + path.getFileName();
  }
}
