package livegraph.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The layout of a segment file: a header, then records back to back, each with its own length
 * and checksum so a reader can tell where one ends and whether it is whole.
 *
 * <pre>
 * segment := header record*
 * header  := magic "LGJ1" chartsStartMillis:int64 crc32c(magic, chartsStartMillis):int32
 * record  := length:int32 crc32c(payload):int32 payload      (payload: see EventCodec)
 * </pre>
 *
 * <p>Names are the segment's number, 20 digits, so the names sort in write order: {@code
 * 00000000000000000007.lgj}. Integers are big-endian.
 */
final class SegmentFormat {

  static final int MAGIC = 0x4C474A31; // "LGJ1"
  static final int HEADER_BYTES = 16;
  static final int RECORD_HEADER_BYTES = 8;
  /** An event larger than this is not journaled (counted); a length above it is corruption. */
  static final int MAX_PAYLOAD = 1 << 20;
  static final String SUFFIX = ".lgj";

  private SegmentFormat() {}

  static String name(long number) {
    return String.format("%020d%s", number, SUFFIX);
  }

  /** The segment number in a segment file's name, or -1 when it is not one. */
  static long number(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(name.substring(0, 20));
  }

  static ByteBuffer header(long chartsStartMillis) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.putInt(MAGIC).putLong(chartsStartMillis);
    b.putInt(crc(b.array(), 0, 12));
    return b.flip();
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
