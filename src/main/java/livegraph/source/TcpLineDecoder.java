package livegraph.source;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.List;

/**
 * Netty's line decoder with the line sources' rules: at most {@link LineSplitter#MAX_LINE_BYTES}
 * per line, fail-fast (a longer line is reported at once as a {@code TooLongFrameException} and
 * its bytes are skipped up to the next newline, never accumulated), and a last line without a
 * newline is still a line when the producer closes the connection ({@code printf '{}' | nc}).
 */
final class TcpLineDecoder extends LineBasedFrameDecoder {

  TcpLineDecoder() {
    this(LineSplitter.MAX_LINE_BYTES);
  }

  TcpLineDecoder(int maxLineBytes) {
    super(maxLineBytes, true, true);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
    super.decodeLast(ctx, in, out);
    // Whatever is left has no newline and is within the limit: an over-long rest was skipped
    // by the decode above.
    if (in.isReadable()) {
      out.add(in.readRetainedSlice(in.readableBytes()));
    }
  }
}
