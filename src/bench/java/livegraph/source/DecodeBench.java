package livegraph.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import livegraph.bench.ProcessCpu;
import livegraph.bench.StackExchangeData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * StackExchange frames through {@link JsonEventDecoder} with the built-in dashboard's decoding,
 * both stages apart and together, beside plain Jackson databind ({@code ObjectMapper.readTree})
 * on the same documents: the published reference of about 300k 1 KB documents/s per thread.
 *
 * <ul>
 *   <li>{@code frame}: the whole path a WebSocket text frame takes (outer document, the
 *       {@code action} check, the {@code data} string parsed again, eight fields extracted, two
 *       of them HTML-unescaped, the event built). {@code jacksonFrame}: readTree of the frame,
 *       then readTree of its {@code data} string, nothing extracted.
 *   <li>{@code outer} / {@code jacksonOuter}: stage one, the frame to its {@code data} string.
 *   <li>{@code inner} / {@code jacksonInner}: stage two, the {@code data} string to the fields.
 * </ul>
 *
 * <p>{@code frames=real}: the two question frames of the shared samples (about 750 and 500
 * bytes); {@code synthetic}: 1,024 frames of the simulated feed (sites by real size, bodies up
 * to 200 chars, 5% of titles with entities), cycled so the branch predictor cannot learn one.
 * Scores are documents per second; one op is one frame (or one inner document). The secondary
 * result {@code cpuMicros} ({@link ProcessCpu}) gives documents per CPU-second on a busy
 * machine: score / cpuMicros × 1e6.
 *
 * <p>Full run (about 6 min): {@code java -jar target/benchmarks.jar DecodeBench -rf json -rff
 * target/decode.json}. Smoke (seconds): {@code java -jar target/benchmarks.jar DecodeBench -f 1
 * -wi 1 -w 200ms -i 1 -r 300ms}. Build first: {@code ./mvnw -B -Pbench -DskipTests package}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecodeBench {

  @Param({"real", "synthetic"})
  public String frames;

  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final int SYNTHETIC = 1024;

  private final JsonEventDecoder decoder = StackExchangeData.decoder();
  private final JsonEventDecoder outerDecoder = StackExchangeData.outerDecoder();
  private final JsonEventDecoder innerDecoder = StackExchangeData.innerDecoder();
  private String[] outer;
  private String[] inner;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    List<String> texts = frames.equals("real")
        ? StackExchangeData.realFrames()
        : StackExchangeData.syntheticFrames(SYNTHETIC, 1);
    outer = texts.toArray(String[]::new);
    inner = StackExchangeData.innerDocuments(texts).toArray(String[]::new);
    System.out.printf("%n%s: %d frames, mean %.0f bytes; inner documents mean %.0f bytes%n",
        frames, outer.length, StackExchangeData.meanBytes(texts),
        StackExchangeData.meanBytes(List.of(inner)));
  }

  private int index() {
    int i = next;
    next = i + 1 == outer.length ? 0 : i + 1;
    return i;
  }

  @Benchmark
  public JsonEventDecoder.Result frame(ProcessCpu cpu) {
    cpu.op();
    return decoder.decode(outer[index()], StackExchangeData.META, StackExchangeData.EPOCH_MILLIS);
  }

  @Benchmark
  public JsonEventDecoder.Result outer(ProcessCpu cpu) {
    cpu.op();
    return outerDecoder.decode(
        outer[index()], StackExchangeData.META, StackExchangeData.EPOCH_MILLIS);
  }

  @Benchmark
  public JsonEventDecoder.Result inner(ProcessCpu cpu) {
    cpu.op();
    return innerDecoder.decode(
        inner[index()], StackExchangeData.META, StackExchangeData.EPOCH_MILLIS);
  }

  @Benchmark
  public JsonNode jacksonFrame(ProcessCpu cpu) throws IOException {
    cpu.op();
    JsonNode frame = JACKSON.readTree(outer[index()]);
    return JACKSON.readTree(frame.get("data").textValue());
  }

  @Benchmark
  public JsonNode jacksonOuter(ProcessCpu cpu) throws IOException {
    cpu.op();
    return JACKSON.readTree(outer[index()]);
  }

  @Benchmark
  public JsonNode jacksonInner(ProcessCpu cpu) throws IOException {
    cpu.op();
    return JACKSON.readTree(inner[index()]);
  }
}
