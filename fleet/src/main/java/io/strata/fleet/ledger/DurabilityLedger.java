package io.strata.fleet.ledger;

import io.strata.fleet.reconcile.PoolScan;
import io.strata.protocol.task.ListedObject;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A dataset's durability as a hospital is given it: how many objects and copies exist, in which
 * failure domains, and how many copies were verified by content (a scrub re-read them against their
 * SHA-256) within a window, 30 days by default. Pure: scans, scrub times and the map in, figures
 * out. Built by {@link #add} shard by shard; not thread-safe.
 */
public final class DurabilityLedger {

  /** The window the figures count verifications in, as {@code strata_verified_within_30d_ratio}. */
  public static final Duration WINDOW = Duration.ofDays(30);

  /** When a scrub last came back for a shard's copies on a pool; null when unknown. */
  @FunctionalInterface
  public interface Verifications {
    Instant at(String shardId, String pool);
  }

  /**
   * One dataset's figures.
   *
   * @param dataset its name
   * @param objects distinct objects its shards hold, by the leader's last scans
   * @param copies copies of them on pools of the map
   * @param copiesBySite copies per site
   * @param copiesByRoom copies per room
   * @param verifiedWithin30d copies verified by content within {@link #WINDOW}, copies found wrong
   *     and not repaired yet excepted
   * @param wrong copies a scrub found wrong and not repaired yet
   * @param verifiedRatio {@code verifiedWithin30d / copies}; 1 when there are no copies
   */
  public record Dataset(
      String dataset,
      long objects,
      long copies,
      Map<String, Long> copiesBySite,
      Map<String, Long> copiesByRoom,
      long verifiedWithin30d,
      long wrong,
      double verifiedRatio) {}

  private static final class Tally {
    long objects;
    long copies;
    long verified;
    long wrong;
    final Map<String, Long> bySite = new TreeMap<>();
    final Map<String, Long> byRoom = new TreeMap<>();
  }

  private final ClusterMap map;
  private final Instant now;
  private final Verifications verifications;
  private final Map<String, Tally> datasets = new TreeMap<>();

  public DurabilityLedger(ClusterMap map, Instant now, Verifications verifications) {
    this.map = map;
    this.now = now;
    this.verifications = verifications;
  }

  /**
   * Adds one shard of {@code dataset}: its last scan on each pool, and the keys a scrub found wrong
   * per pool.
   *
   * @param countObjects whether to count distinct objects too (one pass over every key; the ratio
   *     alone needs only the scans' sizes)
   */
  public void add(
      String dataset,
      String shardId,
      Map<String, PoolScan> scans,
      Map<String, Set<String>> wrong,
      boolean countObjects) {
    Tally t = datasets.computeIfAbsent(dataset, d -> new Tally());
    Set<String> keys = countObjects ? new HashSet<>() : null;
    for (PoolScan scan : scans.values()) {
      Pool pool = map.pool(scan.pool()).orElse(null);
      if (pool == null) {
        continue; // A pool no longer in the map holds no copy that counts.
      }
      long n = scan.objects().size();
      long bad = wrong.getOrDefault(scan.pool(), Set.of()).size();
      t.copies += n;
      t.wrong += bad;
      Instant at = verifications.at(shardId, scan.pool());
      if (at != null && !at.plus(WINDOW).isBefore(now)) {
        t.verified += Math.max(0, n - bad);
      }
      t.bySite.merge(name(pool, DomainLevel.SITE), n, Long::sum);
      t.byRoom.merge(name(pool, DomainLevel.ROOM), n, Long::sum);
      if (keys != null) {
        keys.addAll(scan.objects().keySet());
      }
    }
    if (keys != null) {
      t.objects += keys.size();
    }
  }

  /** Makes sure {@code dataset} has figures, if only zeros. */
  public void include(String dataset) {
    datasets.computeIfAbsent(dataset, d -> new Tally());
  }

  /** The figures, by dataset name. */
  public Map<String, Dataset> datasets() {
    Map<String, Dataset> out = new TreeMap<>();
    datasets.forEach(
        (name, t) ->
            out.put(
                name,
                new Dataset(
                    name,
                    t.objects,
                    t.copies,
                    Map.copyOf(t.bySite),
                    Map.copyOf(t.byRoom),
                    t.verified,
                    t.wrong,
                    t.copies == 0 ? 1.0 : (double) t.verified / t.copies)));
    return out;
  }

  /**
   * One copy of an object of a study.
   *
   * @param key the object
   * @param pool the pool holding the copy
   * @param site its site
   * @param room its room
   * @param verifiedAt when a scrub last re-read it against its SHA-256, as the leader knows; null
   *     when unknown
   * @param wrong whether a scrub found it wrong (not repaired yet)
   */
  public record StudyCopy(
      String key, String pool, String site, String room, Instant verifiedAt, boolean wrong) {}

  /**
   * A study's figures: every copy of every instance, and how many were verified within {@link
   * #WINDOW}.
   */
  public record Study(
      String dataset,
      String study,
      long objects,
      long copies,
      long verifiedWithin30d,
      List<StudyCopy> copiesOf) {}

  /**
   * The copies of the objects of study {@code uid} in one shard's scans, added to {@code out}; the
   * DICOM header tells the study, so only scans that read headers find it.
   */
  public static void studyCopies(
      ClusterMap map,
      String shardId,
      Map<String, PoolScan> scans,
      Map<String, Set<String>> wrong,
      String uid,
      Verifications verifications,
      List<StudyCopy> out) {
    copies(
        map,
        shardId,
        scans,
        wrong,
        o -> o.dicom() != null && uid.equals(o.dicom().studyInstanceUid()),
        verifications,
        (o, c) -> out.add(c));
  }

  /**
   * Every copy in one shard's scans of an object {@code which} selects, pool by pool, with the
   * object as the pool listed it: what a hospital's ledger report lists line by line.
   */
  public static void copies(
      ClusterMap map,
      String shardId,
      Map<String, PoolScan> scans,
      Map<String, Set<String>> wrong,
      java.util.function.Predicate<ListedObject> which,
      Verifications verifications,
      java.util.function.BiConsumer<ListedObject, StudyCopy> out) {
    for (PoolScan scan : new TreeMap<>(scans).values()) {
      Pool pool = map.pool(scan.pool()).orElse(null);
      if (pool == null) {
        continue;
      }
      String site = map.ancestor(pool, DomainLevel.SITE).map(Domain::id).orElse("(none)");
      String room = map.ancestor(pool, DomainLevel.ROOM).map(Domain::id).orElse("(none)");
      Instant verifiedAt = verifications.at(shardId, pool.id());
      Set<String> wrongHere = wrong.getOrDefault(pool.id(), Set.of());
      for (ListedObject o : scan.objects().values()) {
        if (which.test(o)) {
          out.accept(
              o,
              new StudyCopy(
                  o.key(), pool.id(), site, room, verifiedAt, wrongHere.contains(o.key())));
        }
      }
    }
  }

  /** Whether a copy was verified by content within {@link #WINDOW} of {@code now}. */
  public static boolean verifiedWithin(StudyCopy c, Instant now) {
    return !c.wrong() && c.verifiedAt() != null && !c.verifiedAt().plus(WINDOW).isBefore(now);
  }

  /** A study's figures from its copies, at {@code now}. */
  public static Study study(String dataset, String uid, List<StudyCopy> copies, Instant now) {
    List<StudyCopy> sorted = new ArrayList<>(copies);
    sorted.sort(Comparator.comparing(StudyCopy::key).thenComparing(StudyCopy::pool));
    long verified = sorted.stream().filter(c -> verifiedWithin(c, now)).count();
    long objects = sorted.stream().map(StudyCopy::key).distinct().count();
    return new Study(dataset, uid, objects, sorted.size(), verified, List.copyOf(sorted));
  }

  private String name(Pool pool, DomainLevel level) {
    return map.ancestor(pool, level).map(Domain::id).orElse("(none)");
  }
}
