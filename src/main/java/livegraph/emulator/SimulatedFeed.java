package livegraph.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * come back with new activity, as in the real feed; a question that comes back gets a {@code
 * lastActivityDate} after the one it last had (the clock's second, or one more than before if
 * that is not later), so site, id and {@code lastActivityDate} name one activity, as a
 * consumer's dedupe expects (see {@code LAST_ACTIVITY_CAPACITY} for the memory this takes). Not thread-safe; the emulator calls it from one thread.
 */
public final class SimulatedFeed implements Feed {

  // Share of events that are new activity on a recently seen question rather than a new one.
  private static final double REPEAT_SHARE = 0.2;
  // Recently seen questions kept for repeats; bounded ring, the oldest is overwritten.
  private static final int RECENT_CAPACITY = 64;
  private static final JsonFactory JSON = new JsonFactory();
  // Questions whose last lastActivityDate is remembered. A question evicted from it was last
  // sent this many frames ago, more than a second ago below 65,536 frames a second, so the
  // clock's second is later anyway.
  private static final int LAST_ACTIVITY_CAPACITY = 1 << 16;

  private final double eventsPerSecond;
  private final Clock clock;
  private final SplittableRandom random;
  private final WeightedSites sites;
  private final QuestionWriter writer = new QuestionWriter();
  private final QuestionWriter.Question[] recent = new QuestionWriter.Question[RECENT_CAPACITY];
  // lastActivityDate (epoch seconds) each question was last sent with, by site and id, for
  // the LAST_ACTIVITY_CAPACITY questions sent last; the least recently sent is evicted.
  private final Map<String, Long> lastActivity = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > LAST_ACTIVITY_CAPACITY;
    }
  };
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
    QuestionWriter.Question q = nextQuestion();
    long nowSeconds = clock.millis() / 1000;
    // A question sent before (a comeback, or a new one whose drawn id repeats an earlier one
    // on a small site) must be later than its previous activity even within one second, or if
    // the clock stepped back, so that (site, id, lastActivityDate) names one activity.
    Long previous = lastActivity.get(q.site().apiSiteParameter() + "/" + q.id());
    long date = previous == null ? nowSeconds : Math.max(nowSeconds, previous + 1);
    lastActivity.put(q.site().apiSiteParameter() + "/" + q.id(), date);
    return Optional.of(new Timed(delayNanos, frame(q, date)));
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

  private String frame(QuestionWriter.Question q, long lastActivity) {
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
      g.writeNumberField("lastActivityDate", lastActivity);
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
