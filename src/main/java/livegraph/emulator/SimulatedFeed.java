package livegraph.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import livegraph.pipeline.Clock;

/**
 * An endless made-up {@code 155-questions-active} stream: Poisson arrivals, sites drawn by
 * their total question count, plausible questions with Zipf-skewed tags.
 *
 * <p>Deterministic from the seed: the same seed gives the same delays and the same frames
 * (given the same clock readings, which only set {@code lastActivityDate}). Some questions
 * come back with new activity, as in the real feed. Not thread-safe; the emulator calls it
 * from one thread.
 */
public final class SimulatedFeed implements Feed {

  // Share of events that are new activity on a recently seen question rather than a new one.
  private static final double REPEAT_SHARE = 0.2;
  // Recently seen questions kept for repeats; bounded ring, the oldest is overwritten.
  private static final int RECENT_CAPACITY = 64;
  private static final JsonFactory JSON = new JsonFactory();

  private final double eventsPerSecond;
  private final Clock clock;
  private final SplittableRandom random;
  private final WeightedSites sites;
  private final QuestionWriter writer = new QuestionWriter();
  private final QuestionWriter.Question[] recent = new QuestionWriter.Question[RECENT_CAPACITY];
  private int recentCount;
  private int recentNext;

  private SimulatedFeed(double eventsPerSecond, long seed, Clock clock, List<Sites.Site> sites) {
    if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException("eventsPerSecond must be positive and finite: "
          + eventsPerSecond);
    }
    this.eventsPerSecond = eventsPerSecond;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = new SplittableRandom(seed);
    this.sites = new WeightedSites(sites);
  }

  /** A feed of about {@code eventsPerSecond} frames a second, reproducible from {@code seed}. */
  public static SimulatedFeed create(double eventsPerSecond, long seed) {
    return create(eventsPerSecond, seed, Clock.system());
  }

  /** As {@link #create(double, long)}, with {@code lastActivityDate} read from {@code clock}. */
  public static SimulatedFeed create(double eventsPerSecond, long seed, Clock clock) {
    return new SimulatedFeed(eventsPerSecond, seed, clock, Sites.load());
  }

  /** Never empty: the simulated feed does not end. */
  @Override
  public Optional<Timed> next() {
    // Exponential inter-arrival times give a Poisson process of the requested rate.
    double seconds = -Math.log(1.0 - random.nextDouble()) / eventsPerSecond;
    long delayNanos = (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0);
    return Optional.of(new Timed(delayNanos, frame(nextQuestion())));
  }

  public double eventsPerSecond() {
    return eventsPerSecond;
  }

  private QuestionWriter.Question nextQuestion() {
    if (recentCount > 0 && random.nextDouble() < REPEAT_SHARE) {
      return recent[random.nextInt(recentCount)];
    }
    QuestionWriter.Question q = writer.write(sites.next(random), random);
    recent[recentNext] = q;
    recentNext = (recentNext + 1) % RECENT_CAPACITY;
    recentCount = Math.min(recentCount + 1, RECENT_CAPACITY);
    return q;
  }

  private String frame(QuestionWriter.Question q) {
    StringWriter out = new StringWriter(768);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("siteBaseHostAddress", q.site().host());
      g.writeNumberField("id", q.id());
      g.writeStringField("titleEncodedFancy", q.title());
      g.writeStringField("bodySummary", q.bodySummary());
      g.writeArrayFieldStart("tags");
      for (String tag : q.tags()) {
        g.writeString(tag);
      }
      g.writeEndArray();
      g.writeNumberField("lastActivityDate", clock.millis() / 1000);
      g.writeStringField("url",
          "https://" + q.site().host() + "/questions/" + q.id() + "/" + q.slug());
      if (q.ownerUrl() != null) {
        g.writeStringField("ownerUrl", q.ownerUrl());
      }
      g.writeStringField("ownerDisplayName", q.ownerName());
      g.writeStringField("apiSiteParameter", q.site().apiSiteParameter());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return Frames.frame(Frames.ACTIVE_CHANNEL, out.toString());
  }
}
