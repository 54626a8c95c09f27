package livegraph.source;

import java.util.Objects;

/** JSON lines on standard input; the source is CLOSED ("end of input") at EOF. */
public record StdinSpec(String name, Decoding decoding) implements SourceSpec {

  public StdinSpec {
    SpecChecks.name(name);
    Objects.requireNonNull(decoding, "decoding");
  }

  @Override
  public String description() {
    return "standard input";
  }
}
