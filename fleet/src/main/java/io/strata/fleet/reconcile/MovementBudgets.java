package io.strata.fleet.reconcile;

import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Byte-rate budgets on copies, checked when the queue leases one: per rack and per room its bytes
 * cross (read from or written to a pool there), for every copy, repairs included; and per policy
 * for the voluntary movement of its objects ({@code movement.bandwidth}), which repairs are exempt
 * from. Each budget is a token bucket holding at most one second of its rate: a copy is leased
 * while every bucket it draws on is above zero and is charged its bytes at once, so a large copy
 * takes the bucket below zero and the next waits until the rate has paid it back. The rate over
 * time stays within the budget; no copy waits forever. Scrubs ({@code verify} tasks) draw on a
 * budget of their own per pool, the bytes it may re-read against their checksums. Not thread-safe:
 * the task queue guards it.
 */
public final class MovementBudgets {
  private static final Duration BURST = Duration.ofSeconds(1);

  /**
   * The rates, in bytes per second; 0 for no cap.
   *
   * @param rack through each rack
   * @param room through each room
   * @param policies per policy name, its voluntary movement fleet-wide
   */
  public record Rates(long rack, long room, Map<String, Long> policies) {
    public static final Rates NONE = new Rates(0, 0, Map.of());

    public Rates {
      policies = Map.copyOf(policies);
    }
  }

  /**
   * The rates from the controller's settings and the policies in force, read again only when the
   * policy set changes.
   */
  public static Supplier<Rates> rates(long rack, long room, Supplier<PolicySet> policies) {
    return new Supplier<>() {
      private PolicySet seen;
      private Rates rates;

      @Override
      public synchronized Rates get() {
        PolicySet now = policies.get();
        if (rates == null || now != seen) {
          Map<String, Long> caps = new HashMap<>();
          for (StoragePolicy p : now.policies()) {
            if (p.movement().bandwidth() != null) {
              caps.put(p.name(), p.movement().bandwidth().bytesPerSecond());
            }
          }
          rates = new Rates(rack, room, caps);
          seen = now;
        }
        return rates;
      }
    };
  }

  /** No budget at all. */
  public static MovementBudgets none() {
    return new MovementBudgets(() -> Rates.NONE, () -> null);
  }

  private final Supplier<Rates> rates;
  private final Supplier<ClusterMap> map;
  private final long scrubBytesPerSecond;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    Instant at;
  }

  /**
   * @param rates the rates in force (read at each lease: a policy edit applies at once)
   * @param map the cluster map, for the racks and rooms of a copy's pools
   */
  public MovementBudgets(Supplier<Rates> rates, Supplier<ClusterMap> map) {
    this(rates, map, 0);
  }

  /**
   * @param scrubBytesPerSecond bytes per second one pool's scrubs may re-read; 0 for no cap
   */
  public MovementBudgets(
      Supplier<Rates> rates, Supplier<ClusterMap> map, long scrubBytesPerSecond) {
    this.rates = rates;
    this.map = map;
    this.scrubBytesPerSecond = scrubBytesPerSecond;
  }

  public Rates rates() {
    return rates.get();
  }

  /** Whether every budget the task draws on has bytes left now: {@link #admitsAt} is now. */
  public boolean admits(QueuedTask q, Instant now) {
    return !admitsAt(q, now).isAfter(now);
  }

  /**
   * From when every budget the task draws on has bytes left, if nothing else is leased meanwhile:
   * {@code now} when it {@link #admits} the task now, else the moment the last of its buckets has
   * paid back what it is below zero (a millisecond after, as a bucket at zero admits nothing).
   */
  public Instant admitsAt(QueuedTask q, Instant now) {
    Instant at = now;
    for (Draw d : draws(q)) {
      Bucket b = bucket(d, now);
      if (b.tokens <= 0) {
        long nanos = (long) Math.ceil(-b.tokens / d.rate() * 1e9) + 1_000_000;
        Instant paid = now.plusNanos(nanos);
        at = paid.isAfter(at) ? paid : at;
      }
    }
    return at;
  }

  /** Charges a task just leased to every budget it draws on. */
  public void charge(QueuedTask q, Instant now) {
    for (Draw d : draws(q)) {
      bucket(d, now).tokens -= q.bytes();
    }
  }

  /** Bytes left now in a budget's bucket (negative while it pays back a large copy); for tests. */
  double left(String key, long rate, Instant now) {
    return bucket(new Draw(key, rate), now).tokens;
  }

  private record Draw(String key, long rate) {}

  private List<Draw> draws(QueuedTask q) {
    List<Draw> out = new ArrayList<>(5);
    if (q.task().type() == TaskType.VERIFY && q.bytes() > 0 && scrubBytesPerSecond > 0) {
      out.add(new Draw("scrub:" + q.task().sourcePool(), scrubBytesPerSecond));
      return out;
    }
    if (q.task().type() != TaskType.COPY || q.bytes() <= 0) {
      return out;
    }
    Rates r = rates.get();
    if (q.policy() != null && RoundQueue.isVoluntary(q.priority())) {
      long rate = r.policies().getOrDefault(q.policy(), 0L);
      if (rate > 0) {
        out.add(new Draw("policy:" + q.policy(), rate));
      }
    }
    if (r.rack() <= 0 && r.room() <= 0) {
      return out;
    }
    ClusterMap current = map.get();
    for (String poolId : new String[] {q.task().sourcePool(), q.task().targetPool()}) {
      Pool pool = poolId == null || current == null ? null : current.pool(poolId).orElse(null);
      if (pool == null) {
        continue;
      }
      if (r.rack() > 0) {
        current
            .ancestor(pool, DomainLevel.RACK)
            .ifPresent(d -> addOnce(out, new Draw("rack:" + d.id(), r.rack())));
      }
      if (r.room() > 0) {
        current
            .ancestor(pool, DomainLevel.ROOM)
            .ifPresent(d -> addOnce(out, new Draw("room:" + d.id(), r.room())));
      }
    }
    return out;
  }

  private static void addOnce(List<Draw> draws, Draw d) {
    for (Draw existing : draws) {
      if (existing.key().equals(d.key())) {
        return;
      }
    }
    draws.add(d);
  }

  /** The bucket, refilled for the time since it was last seen, up to one second of its rate. */
  private Bucket bucket(Draw d, Instant now) {
    double cap = d.rate() * (BURST.toMillis() / 1000.0);
    Bucket b =
        buckets.computeIfAbsent(
            d.key(),
            k -> {
              Bucket fresh = new Bucket();
              fresh.tokens = cap;
              fresh.at = now;
              return fresh;
            });
    if (now.isAfter(b.at)) {
      double seconds = Duration.between(b.at, now).toNanos() / 1e9;
      b.tokens = Math.min(cap, b.tokens + seconds * d.rate());
      b.at = now;
    }
    return b;
  }
}
