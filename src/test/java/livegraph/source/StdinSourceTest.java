package livegraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.source.SourceStatus.State;
import livegraph.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StdinSourceTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final StdinSpec SPEC = new StdinSpec("in", Decoding.fields("/n"));

  private StdinSource source;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private StdinSource start(java.io.InputStream in, long maxWaitMillis, EventSink sink) {
    source = new StdinSource(SPEC, Clock.system(), in, maxWaitMillis);
    source.start(sink);
    return source;
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private void awaitState(State state) {
    try {
      Poll.until(WAIT, () -> source.status().state() == state, "state " + state);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; status now " + source.status(), e);
    }
  }

  @Test
  void pipedLines_areAllDelivered_exactlyOnceAndInOrder_throughASmallSlowSink() throws Exception {
    int total = 50_000;
    PipedInputStream in = new PipedInputStream(4096);
    PipedOutputStream out = new PipedOutputStream(in);
    BlockingQueue<Event> intake = new ArrayBlockingQueue<>(8);
    List<Long> seen = new ArrayList<>();
    AtomicLong refusals = new AtomicLong();
    EventSink sink =
        e -> {
          boolean taken = intake.offer(e);
          if (!taken) {
            refusals.incrementAndGet();
          }
          return taken;
        };
    Thread consumer =
        new Thread(
            () -> {
              try {
                while (seen.size() < total) {
                  seen.add((Long) intake.take().fields().get("/n"));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    start(in, 60_000, sink);
    Thread producer =
        new Thread(
            () -> {
              try (OutputStream o = out) {
                for (int i = 0; i < total; i++) {
                  String end = i % 3 == 0 ? "\r\n" : "\n";
                  String blank = i % 10 == 0 ? "\n  \r\n" : "";
                  o.write(("{\"n\":" + i + "}" + end + blank).getBytes(StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    producer.start();
    // The pipeline is stuck at first: the reader has to wait for room, then it gets going.
    Poll.until(WAIT, () -> refusals.get() > 0, "the sink refusing an event");
    consumer.start();

    awaitState(State.CLOSED);
    consumer.join(TimeUnit.SECONDS.toMillis(20));

    SourceStatus status = source.status();
    assertThat(status.detail()).isEqualTo("end of input");
    assertThat(status.events()).isEqualTo(total);
    assertThat(status.dropped()).isZero();
    assertThat(status.skippedTotal()).isZero();
    assertThat(seen).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void lastLineWithoutNewline_isAnEvent() {
    start(stream("{\"n\":1}\n{\"n\":2}"), 1000, events::add);

    awaitState(State.CLOSED);
    assertThat(events).extracting(e -> e.fields().get("/n")).containsExactly(1L, 2L);
    assertThat(events).allSatisfy(e -> assertThat(e.fields()).containsEntry("@source", "in"));
  }

  @Test
  void badLines_areSkippedByReason_andTheRestIsRead() {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    byte[] huge = ("{\"n\":\"" + "x".repeat(LineSplitter.MAX_LINE_BYTES) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    input.writeBytes(huge);
    input.writeBytes("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    input.writeBytes(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});
    input.writeBytes("oops\n\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));

    start(new ByteArrayInputStream(input.toByteArray()), 1000, events::add);

    awaitState(State.CLOSED);
    SourceStatus status = source.status();
    assertThat(events).extracting(e -> e.fields().get("/n")).containsExactly(1L, 2L);
    assertThat(status.skipped())
        .containsEntry(SkipReason.TOO_LARGE, 1L)
        .containsEntry(SkipReason.INVALID_UTF8, 1L)
        .containsEntry(SkipReason.NOT_JSON, 1L);
    assertThat(status.skippedTotal()).isEqualTo(3);
  }

  @Test
  void sinkThatNeverHasRoom_dropsEachLineAfterTheBoundedWait_andReachesTheEnd() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      text.append("{\"n\":").append(i).append("}\n");
    }
    start(stream(text.toString()), 2, e -> false);

    awaitState(State.CLOSED);
    assertThat(source.status().dropped()).isEqualTo(20);
    assertThat(source.status().events()).isZero();
  }

  @Test
  void close_whileWaitingForInput_isFinal_andDeliversNothingLater() throws Exception {
    PipedInputStream in = new PipedInputStream();
    PipedOutputStream out = new PipedOutputStream(in);
    start(in, 1000, events::add);
    out.write("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    Poll.until(WAIT, () -> events.size() == 1, "the first line");
    assertThat(source.status().state()).isEqualTo(State.LIVE);
    assertThat(source.status().detail()).isEqualTo("reading standard input");

    source.close();
    try {
      out.write("{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException readerGone) {
      // The interrupted reader is gone; the pipe may notice.
    }

    assertThat(source.status().state()).isEqualTo(State.CLOSED);
    Poll.holds(Duration.ofMillis(200), () -> events.size() == 1, "nothing delivered after close");
    assertThat(source.status().detail()).isEqualTo("closed");
  }

  /**
   * Standard input ignores interrupts, so a closed source's blocked read cannot be cancelled;
   * a dashboard reload replacing a stdin source used to leave that reader behind, to swallow
   * the next chunk of input (or split lines with the new reader).
   */
  @Test
  void sourceReplacingAClosedOne_onAnUninterruptibleStream_getsEveryLaterLine() throws Exception {
    QuietInput in = new QuietInput();
    List<Event> first = new CopyOnWriteArrayList<>();
    StdinSource old = new StdinSource(SPEC, Clock.system(), in, 1000);
    old.start(first::add);
    in.write("{\"n\":1}\n");
    Poll.until(WAIT, () -> first.size() == 1, "the first line");
    old.close();

    in.write("{\"n\":2,\"m\":\"a\"}\n{\"n\":3,"); // the second line is cut in two writes
    start(in, 1000, events::add);
    in.write("\"m\":\"b\"}\n");
    in.end();

    awaitState(State.CLOSED);
    assertThat(source.status().detail()).isEqualTo("end of input");
    assertThat(events).extracting(e -> e.fields().get("/n")).containsExactly(2L, 3L);
    assertThat(source.status().skippedTotal()).isZero();
    assertThat(first).hasSize(1);
    assertThat(old.status().events()).isEqualTo(1);
  }

  /** Like standard input: written in chunks, and a blocked read ignores interrupts. */
  private static final class QuietInput extends java.io.InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new java.util.concurrent.LinkedBlockingQueue<>();
    private byte[] chunk = END;
    private int at;

    void write(String text) {
      chunks.add(text.getBytes(StandardCharsets.UTF_8));
    }

    void end() {
      chunks.add(END);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      if (at == chunk.length) {
        byte[] next = takeIgnoringInterrupts();
        if (next == END) {
          chunks.add(END); // stays at its end
          return -1;
        }
        chunk = next;
        at = 0;
      }
      int n = Math.min(len, chunk.length - at);
      System.arraycopy(chunk, at, b, off, n);
      at += n;
      return n;
    }

    private byte[] takeIgnoringInterrupts() {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return chunks.take();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
