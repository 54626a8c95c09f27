package livegraph.emulator;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import livegraph.pipeline.Clock;

/**
 * Re-sends the recent feed frames to a client that subscribes to the active questions, then
 * makes it a live subscriber, with no frame missed or repeated in between.
 *
 * <p>Design note. Everything here runs on the feed player's event loop, the one thread that
 * also plays every frame, so what a client has had has a single writer and a subscribe cannot
 * race a frame being played. A new subscriber gets a cursor at the oldest {@link RecentFrames}
 * frame younger than the window; each pump writes from the cursor while the client's socket is
 * writable; when the cursor reaches the newest frame the client joins {@link
 * Clients#subscribedActive}, still on this thread and so before the next frame is played.
 * Netty writes a channel's messages in the order they were written from one thread, so the
 * client reads the re-sent frames, then the live ones. A client whose socket fills while
 * catching up (even with the last frame) waits (its cursor keeps the frames it has not had from ageing out of the ring)
 * and is pumped again when it drains or the next frame is played; one that falls a whole ring
 * behind loses the overwritten frames, counted in {@link Clients#framesLostInResend}. Once
 * live, a client is a subscriber like any other (slow ones are skipped and counted).
 */
final class Resender {

  private final RecentFrames ring; // owned by the player loop
  private final Clients clients;
  private final Clock clock;
  // Clients still being re-sent to, by the sequence number of the next frame they need; owned
  // by the player loop; at most one entry per connected client, removed when it goes live or
  // closes.
  private final Map<Channel, Long> catchingUp = new HashMap<>();
  private volatile int catchingUpCount; // catchingUp's size, for any thread to read

  Resender(RecentFrames ring, Clients clients, Clock clock) {
    this.ring = ring;
    this.clients = clients;
    this.clock = clock;
  }

  /** Sends a feed frame to the live subscribers, keeps it, and pumps the clients catching up. */
  void play(String frame) {
    // Live subscribers first: a client the pump below makes live has had this frame from the
    // ring, so sending it live after would send it twice.
    clients.sendData(clients.subscribedActive, frame);
    long keepFrom = ring.nextSeq();
    for (long seq : catchingUp.values()) {
      keepFrom = Math.min(keepFrom, seq);
    }
    ring.add(frame, clock.millis(), keepFrom);
    if (!catchingUp.isEmpty()) {
      for (Channel ch : new ArrayList<>(catchingUp.keySet())) {
        pump(ch);
      }
      catchingUpCount = catchingUp.size();
    }
  }

  /** {@code ch} subscribed to the active questions: re-send, then make it live. */
  void subscribe(Channel ch) {
    if (catchingUp.containsKey(ch) || clients.subscribedActive.contains(ch)) {
      return; // already subscribed: a second subscribe must not re-send
    }
    catchingUp.put(ch, ring.firstYoungerThanWindow(clock.millis()));
    pump(ch);
    catchingUpCount = catchingUp.size();
  }

  void unsubscribe(Channel ch) {
    catchingUp.remove(ch);
    clients.subscribedActive.remove(ch);
    catchingUpCount = catchingUp.size();
  }

  /** {@code ch}'s socket drained below its low water mark. */
  void writable(Channel ch) {
    if (catchingUp.containsKey(ch)) {
      pump(ch);
      catchingUpCount = catchingUp.size();
    }
  }

  /** Clients still being re-sent to; any thread. */
  int catchingUp() {
    return catchingUpCount;
  }

  private void pump(Channel ch) {
    if (!ch.isActive()) {
      catchingUp.remove(ch);
      return;
    }
    long seq = catchingUp.get(ch);
    if (seq < ring.oldestSeq()) {
      clients.framesLostInResend.add(ring.oldestSeq() - seq);
      seq = ring.oldestSeq();
    }
    while (seq < ring.nextSeq() && clients.dataFlows() && ch.isWritable()
        && !Clients.trickling(ch)) {
      clients.sendOne(ch, ring.get(seq++));
    }
    // Live only with room to spare: a live client whose buffer is full is skipped frames, so one
    // the re-send filled stays here, and gets the next frames from the ring when it drains.
    if (seq == ring.nextSeq() && ch.isWritable()) {
      catchingUp.remove(ch);
      clients.subscribedActive.add(ch);
    } else {
      catchingUp.put(ch, seq);
    }
  }
}
