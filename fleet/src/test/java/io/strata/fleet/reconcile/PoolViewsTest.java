package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolViewsTest {
  private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
  private static final Shard A = new Shard("a", "scans", new KeyRange("", "m"));
  private static final Shard B = new Shard("b", "scans", new KeyRange("m", ""));
  private static final Shard OTHER = new Shard("o", "labs", KeyRange.ALL);

  private static ListedObject object(String key, long size) {
    return new ListedObject(key, size, T0, "e-" + key, null);
  }

  private static Map<Shard, PoolScan> sweep(String pool, Instant at, ListedObject... objects) {
    return Sweeps.byShard(List.of(A, B), pool, 1, at, List.of(objects));
  }

  @Test
  void aSweepSplitsItsListingByShardAndLeavesNoViewWhereAPoolHoldsNothing() {
    Map<Shard, PoolScan> found = sweep("p1", T0, object("c", 10), object("x", 5), object("d", 1));
    assertThat(found).containsOnlyKeys(A, B);
    assertThat(found.get(A).objects()).containsOnlyKeys("c", "d");
    assertThat(found.get(B).bytes()).isEqualTo(5);

    PoolViews views = new PoolViews();
    views.swept("scans", "p1", T0, T0, sweep("p1", T0, object("c", 10)));
    views.swept("scans", "p2", T0, T0, Map.of());
    assertThat(views.of("a")).containsOnlyKeys("p1");
    assertThat(views.of("b")).isEmpty();
    assertThat(views.emptyIn("p2", "scans")).isTrue();
    assertThat(views.emptyIn("p1", "scans")).isFalse();
    assertThat(views.emptyIn("p3", "scans")).isFalse(); // Never swept: not known to be empty.
    assertThat(views.held("p1")).containsExactly(1, 10);
    assertThat(views.storedBytes()).isEqualTo(10);
  }

  @Test
  void aSweepReplacesThePoolsViewsOfItsDatasetOnlyAndChangesVersionsOnlyWhereTheyChanged() {
    PoolViews views = new PoolViews();
    views.swept("scans", "p1", T0, T0, sweep("p1", T0, object("c", 10), object("x", 5)));
    views.scanned(OTHER, new PoolScan("p1", 1, T0, Map.of("k", object("k", 7))));
    long a = views.version("a");
    long b = views.version("b");

    Instant t1 = T0.plusSeconds(60);
    views.swept("scans", "p1", t1, t1, sweep("p1", t1, object("c", 10)));

    assertThat(views.version("a")).isEqualTo(a); // Same objects: no new plan.
    assertThat(views.version("b")).isGreaterThan(b); // Its copy went away.
    assertThat(views.of("b")).isEmpty();
    assertThat(views.of("o")).containsOnlyKeys("p1"); // Another dataset's view stays.
    assertThat(views.storedBytes()).isEqualTo(17);
    assertThat(views.sweptAt("p1", "scans")).isEqualTo(t1);
    assertThat(views.sweepCurrent("p1", "scans", t1.plusSeconds(30), Duration.ofSeconds(30)))
        .isTrue();
    assertThat(views.sweepCurrent("p1", "scans", t1.plusSeconds(31), Duration.ofSeconds(30)))
        .isFalse();
  }

  @Test
  void aSweepClearsOnlyTheStaleMarksMadeBeforeItWasIssued() {
    PoolViews views = new PoolViews();
    views.markStale(A, "p1", T0);
    views.markStale(B, "p1", T0.plusSeconds(10));
    views.swept("scans", "p1", T0.plusSeconds(5), T0.plusSeconds(20), Map.of());
    assertThat(views.staleOf("a")).isEmpty();
    assertThat(views.staleOf("b")).containsExactly("p1"); // Its copy may have landed after.
    assertThat(views.emptyIn("p1", "scans")).isFalse();

    views.scanned(B, new PoolScan("p1", 1, T0.plusSeconds(30), Map.of()));
    assertThat(views.staleOf("b")).isEmpty();
    assertThat(views.of("b")).isEmpty(); // Found nothing: no view.
    assertThat(views.emptyIn("p1", "scans")).isTrue();
  }

  @Test
  void aSplitShardHandsThePoolsThatHeldItToItsParts() {
    PoolViews views = new PoolViews();
    views.swept("scans", "p1", T0, T0, sweep("p1", T0, object("c", 10)));
    views.swept("scans", "p2", T0, T0, sweep("p2", T0, object("c", 10)));
    views.markStale(A, "p3", T0);
    assertThat(views.forgetShard("a")).containsExactlyInAnyOrder("p1", "p2");
    assertThat(views.of("a")).isEmpty();
    assertThat(views.staleOf("a")).isEmpty();
    assertThat(views.storedBytes()).isZero();
    assertThat(views.emptyIn("p1", "scans")).isTrue();
  }

  @Test
  void aPoolBackFromAwayMustBeSweptAgain() {
    PoolViews views = new PoolViews();
    views.swept("scans", "p1", T0, T0, Map.of());
    views.sweepAgain("p1");
    assertThat(views.sweptAt("p1", "scans")).isNull();
    assertThat(views.emptyIn("p1", "scans")).isFalse();
  }

  @Test
  void aKeyNoShardCoversIsLeftOut() {
    Shard low = new Shard("l", "scans", new KeyRange("b", "d"));
    Shard high = new Shard("h", "scans", new KeyRange("f", "h"));
    Map<Shard, PoolScan> found =
        Sweeps.byShard(
            List.of(low, high),
            "p1",
            1,
            T0,
            List.of(
                object("a", 1), object("c", 1), object("e", 1), object("g", 1), object("z", 1)));
    Map<String, List<String>> keys = new HashMap<>();
    found.forEach((s, scan) -> keys.put(s.id(), List.copyOf(scan.objects().keySet())));
    assertThat(keys).containsOnly(Map.entry("l", List.of("c")), Map.entry("h", List.of("g")));
  }

  @Test
  void aTasksOwnResultUpdatesTheViewUnlessAnotherTaskLeftItStale() {
    PoolViews views = new PoolViews();
    views.scanned(A, new PoolScan("p1", 3, T0, Map.of("c", object("c", 10))));
    views.scanned(A, new PoolScan("p2", 4, T0, Map.of("d", object("d", 1))));
    long before = views.version("a");
    Instant t1 = T0.plusSeconds(5);

    // A copy to a pool with no view of the shard: the view holds what landed, at the task's epoch.
    views.patched(A, "p3", Map.of("c", object("c", 10)), java.util.Set.of(), 4, t1);
    assertThat(views.of("a").get("p3").objects()).containsOnlyKeys("c");
    assertThat(views.of("a").get("p3").epoch()).isEqualTo(4);
    assertThat(views.version("a")).isGreaterThan(before);
    assertThat(views.storedBytes()).isEqualTo(21);

    // Onto a view listed at an older epoch: the view keeps that epoch, so deletions still wait.
    views.patched(A, "p1", Map.of("d", object("d", 1)), java.util.Set.of(), 4, t1);
    assertThat(views.of("a").get("p1").objects()).containsOnlyKeys("c", "d");
    assertThat(views.of("a").get("p1").epoch()).isEqualTo(3);

    // A delete of every key the pool held of the shard: no view is left.
    views.patched(A, "p2", Map.of(), java.util.Set.of("d"), 4, t1);
    assertThat(views.of("a")).doesNotContainKey("p2");
    assertThat(views.held("p2")).containsExactly(0, 0);

    // Stale for another task: only a scan tells.
    views.markStale(A, "p3", t1);
    views.patched(A, "p3", Map.of(), java.util.Set.of("c"), 4, t1);
    assertThat(views.of("a").get("p3").objects()).containsOnlyKeys("c");
    assertThat(views.staleOf("a")).containsExactly("p3");
  }
}
