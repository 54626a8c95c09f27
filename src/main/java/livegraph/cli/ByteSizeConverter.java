package livegraph.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads sizes as people write them: {@code 256m}, {@code 256MiB}, {@code 1g}, {@code 4096}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|k|m|g|kib|mib|gib|kb|mb|gb)");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size: use e.g. 64m, 256MiB or 1g");
    }
    long n = Long.parseLong(m.group(1));
    int shift = switch (m.group(2)) {
      case "" -> 0;
      case "k", "kib", "kb" -> 10;
      case "m", "mib", "mb" -> 20;
      default -> 30;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new CommandLine.TypeConversionException("size too large: " + value);
    }
    return n << shift;
  }
}
