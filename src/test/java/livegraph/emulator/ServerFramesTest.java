package livegraph.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Raw frames, read back by Netty's own client-side decoder (which expects them unmasked). */
class ServerFramesTest {

  private static WebSocketFrame decode(ByteBuf raw) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(
        WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false)
            .maxFramePayloadLength(1 << 20).build()));
    client.writeInbound(raw);
    WebSocketFrame frame = client.readInbound();
    assertThat(client.finishAndReleaseAll()).as("nothing left over").isFalse();
    return frame;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, 300_000})
  void everyLengthEncoding_readsBackAsTheSamePayload(int length) {
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 'a');
    WebSocketFrame frame = decode(ServerFrames.encode(ByteBufAllocator.DEFAULT, ServerFrames.TEXT,
        payload));
    try {
      assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
      assertThat(frame.isFinalFragment()).isTrue();
      assertThat(ByteBufUtil.getBytes(frame.content())).isEqualTo(payload);
    } finally {
      frame.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {125, 126, 65536})
  void headerLength_isTheShortestRfc6455Form(int length) {
    ByteBuf raw = ServerFrames.encode(ByteBufAllocator.DEFAULT, ServerFrames.BINARY,
        new byte[length]);
    try {
      int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
      assertThat(raw.readableBytes()).isEqualTo(header + length);
      assertThat(raw.getUnsignedByte(0)).isEqualTo((short) 0x82); // FIN + binary
    } finally {
      raw.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3})
  void binaryOpcode_readsBackAsBinary(int length) {
    WebSocketFrame frame = decode(ServerFrames.encode(ByteBufAllocator.DEFAULT,
        ServerFrames.BINARY, new byte[length]));
    try {
      assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
    } finally {
      frame.release();
    }
  }
}
