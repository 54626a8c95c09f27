package livegraph;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import livegraph.dashboard.Dashboard;
import livegraph.dashboard.HelloJson;
import livegraph.hub.Hub;
import livegraph.pipeline.Clock;
import livegraph.pipeline.Event;
import livegraph.pipeline.EventHistory;
import livegraph.pipeline.Pipeline;
import livegraph.pipeline.View;
import livegraph.server.Views;

/**
 * The filtered views of one dashboard: one pipeline and one hub per distinct (field, value),
 * shared by every viewer of it, fed by the dashboard's pipeline and started from its recent
 * history.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Feeding.</b> This is the dashboard pipeline's {@link Pipeline.Tap}: on that thread,
 *       each batch its charts took is added to the {@link EventHistory} and offered to every
 *       open view's pipeline. A view therefore sees exactly the events its dashboard counted,
 *       in the same order (an event the dashboard's full intake refused is in no view either),
 *       and no source thread does more work for views.
 *   <li><b>No loss, no repeat.</b> One lock ({@code history}) covers a batch's add-and-offer
 *       and a new view's copy-and-register. A batch taken before the view registers is in its
 *       copy and not offered to it; one taken after is offered and not in the copy. The view's
 *       pipeline replays the copy on its own thread before it reads its intake, so it takes
 *       every event once, oldest first. (Its intake, bounded like the dashboard's, holds the
 *       live events that arrive during the replay; overflow is counted in its dropped.)
 *   <li><b>Start.</b> The view's charts start at the history's {@link EventHistory#from()},
 *       so a complete history gives the numbers the dashboard's charts show, since-start rates
 *       included; the hello says since when it counts and whether that is all of it.
 *   <li><b>Bounds.</b> At most {@link Limits#maxViews} open at once. A view whose last lease
 *       is released stays open for {@link Limits#graceMillis} (a reload of the page finds it
 *       warm), then {@link #sweep} closes it. When full, a new view takes the place of the
 *       view idle longest; with none idle it is refused and the viewer keeps what it has. The
 *       history's bounds are {@link EventHistory}'s.
 *   <li><b>Reload.</b> {@link #reset} closes every view and tells each lease holder (the
 *       viewer goes back to the dashboard's hub, whose reset sent the new layout); the history
 *       starts again with the new charts, as the dashboard's own charts do.
 * </ul>
 *
 * <p>Threads: {@link #open}, {@link Lease#release} on transport event loops; {@link #taken} on
 * the dashboard's pipeline thread; {@link #sweep} and {@link #broadcast} on the status ticker;
 * {@link #reset} and {@link #close} by whoever reloads or stops the dashboard. The open views
 * and their leases are guarded by {@code this}; the history and the pipelines fed by {@code
 * history}; lock order {@code this} then {@code history}, then a hub's lock. Pipelines are
 * closed and lease holders told outside both.
 */
final class FilteredViews implements Views, Pipeline.Tap, AutoCloseable {

  /** Bounds on a dashboard's views. */
  record Limits(int maxViews, long graceMillis) {
    Limits {
      if (maxViews < 1) {
        throw new IllegalArgumentException("maxViews must be positive: " + maxViews);
      }
      if (graceMillis < 0) {
        throw new IllegalArgumentException("graceMillis must not be negative: " + graceMillis);
      }
    }

    /** 16 views; an unwatched one closes after 30 s. */
    static Limits defaults() {
      return new Limits(16, Duration.ofSeconds(30).toMillis());
    }
  }

  static final String RELOADED = "filter cleared: dashboard reloaded";

  private final Clock clock;
  private final int intakeCapacity;
  private final Duration tick;
  private final Limits limits;
  private final BiFunction<Dashboard, HelloJson.ViewInfo, byte[]> hello;

  private Dashboard dashboard; // guarded by this
  private Set<String> fields; // the fields views may narrow by; guarded by this
  private final Map<View, Open> open = new LinkedHashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  private final Object history = new Object();
  private EventHistory events; // guarded by history
  private Pipeline[] fed = new Pipeline[0]; // the open views' pipelines; guarded by history

  /** One open view. */
  private static final class Open {
    final View view;
    // Both set by start before the pipeline thread starts, then only read: the pipeline thread
    // sees them through Thread.start, everyone else through FilteredViews.this.
    Pipeline pipeline;
    Hub hub;
    final Set<Held> held = new LinkedHashSet<>(); // guarded by FilteredViews.this
    long idleSince; // when held last became empty; guarded by FilteredViews.this

    Open(View view) {
      this.view = view;
    }
  }

  /** A lease on one open view. */
  private final class Held implements Lease {
    private final Open view;
    private final OnClosed onClosed;

    Held(Open view, OnClosed onClosed) {
      this.view = view;
      this.onClosed = onClosed;
    }

    @Override
    public Hub hub() {
      return view.hub;
    }

    @Override
    public void release() {
      synchronized (FilteredViews.this) {
        if (view.held.remove(this) && view.held.isEmpty()) {
          view.idleSince = clock.millis();
        }
      }
    }

    @Override
    public String toString() {
      return "lease on " + view.view;
    }
  }

  /**
   * @param hello encodes the hello of a view of a dashboard
   */
  FilteredViews(Dashboard dashboard, Clock clock, int intakeCapacity, Duration tick,
      Limits limits, BiFunction<Dashboard, HelloJson.ViewInfo, byte[]> hello) {
    this(dashboard, clock, clock.millis(), intakeCapacity, tick, limits, hello);
  }

  /**
   * @param startMillis when the dashboard's charts started: before now when they were replayed
   *     from a journal, whose events then fill the history
   */
  FilteredViews(Dashboard dashboard, Clock clock, long startMillis, int intakeCapacity,
      Duration tick, Limits limits, BiFunction<Dashboard, HelloJson.ViewInfo, byte[]> hello) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.intakeCapacity = intakeCapacity;
    this.tick = Objects.requireNonNull(tick, "tick");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.hello = Objects.requireNonNull(hello, "hello");
    this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
    this.fields = View.fields(dashboard.charts());
    this.events = EventHistory.of(dashboard.charts(), startMillis);
  }

  @Override
  public Answer open(String field, String value, OnClosed onClosed) {
    Objects.requireNonNull(onClosed, "onClosed");
    Open evicted = null;
    Held lease;
    synchronized (this) {
      if (closed) {
        return new Refused("the dashboard is shutting down");
      }
      if (field == null || !fields.contains(field)) {
        return new Refused("no chart groups by " + quote(field) + "; filter by one of " + fields);
      }
      if (value == null || value.length() > View.MAX_VALUE) {
        return new Refused("the value must be at most " + View.MAX_VALUE + " characters");
      }
      View key = new View(field, value);
      Open view = open.get(key);
      if (view == null) {
        if (open.size() >= limits.maxViews()) {
          evicted = idlest();
          if (evicted == null) {
            return new Refused("too many filtered views of this dashboard (" + limits.maxViews()
                + ", all being watched); try again later");
          }
          open.remove(evicted.view);
          unfeed(evicted);
        }
        view = start(key);
        open.put(key, view);
      }
      lease = new Held(view, onClosed);
      view.held.add(lease);
    }
    if (evicted != null) {
      evicted.pipeline.close();
    }
    return new Opened(lease);
  }

  /** The unwatched view idle longest, or null. */
  private Open idlest() {
    Open idlest = null;
    for (Open view : open.values()) {
      if (view.held.isEmpty() && (idlest == null || view.idleSince < idlest.idleSince)) {
        idlest = view;
      }
    }
    return idlest;
  }

  /** Builds and starts a view: see the class notes on feeding and start. Under this. */
  private Open start(View key) {
    Open view = new Open(key);
    EventHistory.Copy copy;
    synchronized (history) {
      copy = events.copy(clock.millis());
      view.pipeline = new Pipeline(dashboard.charts(), key, copy.from(), clock, intakeCapacity,
          tick, changed -> view.hub.publish(changed), null);
      Pipeline[] more = Arrays.copyOf(fed, fed.length + 1);
      more[fed.length] = view.pipeline;
      fed = more;
    }
    view.hub = new Hub(hello.apply(dashboard, new HelloJson.ViewInfo(key.field(), key.value(),
        copy.from(), copy.complete())), view.pipeline.snapshot(), clock, Hub.Limits.defaults());
    view.pipeline.start(new DefaultThreadFactory("livegraph-view-" + dashboard.name(), true),
        copy.events());
    return view;
  }

  private void unfeed(Open view) {
    synchronized (history) {
      List<Pipeline> rest = new ArrayList<>(Arrays.asList(fed));
      rest.remove(view.pipeline);
      fed = rest.toArray(Pipeline[]::new);
    }
  }

  /** The dashboard pipeline's tap: keeps the batch in the history and feeds every view. */
  @Override
  public void taken(List<Event> batch, long nowMillis) {
    synchronized (history) {
      Pipeline[] views = fed;
      if (views.length == 0) {
        for (Event event : batch) {
          events.add(event, nowMillis);
        }
        return;
      }
      Event[] kept = new Event[batch.size()];
      for (int i = 0; i < kept.length; i++) {
        kept[i] = events.add(batch.get(i), nowMillis);
      }
      // One copy shared by every view, handed over whole: one queue hand-off per view and batch.
      List<Event> shared = List.of(kept);
      for (Pipeline view : views) {
        view.offerAll(shared);
      }
    }
  }

  /** Closes the views nobody has watched for the grace period; the status ticker calls it. */
  void sweep() {
    List<Open> gone = new ArrayList<>();
    synchronized (this) {
      long now = clock.millis();
      for (Open view : List.copyOf(open.values())) {
        if (view.held.isEmpty() && now - view.idleSince >= limits.graceMillis()) {
          open.remove(view.view);
          unfeed(view);
          gone.add(view);
        }
      }
    }
    gone.forEach(view -> view.pipeline.close());
  }

  /**
   * Serves {@code next} from now on (a reload): closes every view, telling each lease holder
   * {@link #RELOADED}, and starts the history afresh for the new charts. Call it after the old
   * dashboard pipeline stopped and before the new one starts.
   */
  void reset(Dashboard next) {
    List<Open> gone;
    synchronized (this) {
      dashboard = next;
      fields = View.fields(next.charts());
      gone = List.copyOf(open.values());
      open.clear();
      synchronized (history) {
        fed = new Pipeline[0];
        events = EventHistory.of(next.charts(), clock.millis());
      }
    }
    for (Open view : gone) {
      view.pipeline.close();
      List<Held> holders;
      synchronized (this) {
        holders = List.copyOf(view.held);
        view.held.clear();
      }
      holders.forEach(h -> h.onClosed.closed(h, RELOADED));
    }
  }

  /** Sends a status message to the viewers of every view. */
  void broadcast(byte[] message) {
    for (Hub hub : hubs()) {
      hub.broadcast(message);
    }
  }

  /** Views open now. */
  synchronized int size() {
    return open.size();
  }

  /** Viewers of all views together. */
  int viewers() {
    int viewers = 0;
    for (Hub hub : hubs()) {
      viewers += hub.viewers();
    }
    return viewers;
  }

  /** The open views' hubs, by view; for tests and health. */
  synchronized Map<View, Hub> hubsByView() {
    Map<View, Hub> all = new LinkedHashMap<>();
    open.forEach((view, o) -> all.put(view, o.hub));
    return all;
  }

  /** Events the history holds now. */
  int historySize() {
    synchronized (history) {
      return events.size();
    }
  }

  private synchronized List<Hub> hubs() {
    return open.values().stream().map(o -> o.hub).toList();
  }

  /** Closes every view's viewers with 1001 and stops their pipelines; refuses new views. */
  @Override
  public void close() {
    List<Open> gone;
    synchronized (this) {
      closed = true;
      gone = List.copyOf(open.values());
      open.clear();
      synchronized (history) {
        fed = new Pipeline[0];
      }
    }
    for (Open view : gone) {
      view.hub.closeAll(1001, "server shutting down");
      view.pipeline.close();
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
