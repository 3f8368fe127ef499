package io.strata.fleet.reconcile;

import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cap on bytes of copies in flight through one rack, the way Ceph caps backfills per OSD: a
 * copy is leased only while every rack it reads from or writes to carries less than {@code limit}
 * bytes of leased copies with it. A rack with nothing in flight takes any one copy, however large,
 * so that no copy waits forever. The agents' bandwidth budgets (per agent and per pool) bound the
 * rate; this bounds how many copies share a rack's links at once.
 *
 * @param limit bytes in flight per rack; 0 for no cap
 * @param racksOf the racks a task's bytes go through (its pools' racks; none for a task that moves
 *     no bytes between pools)
 */
public record RackBudget(long limit, Function<Task, Set<String>> racksOf) {
  /** No cap. */
  public static final RackBudget NONE = new RackBudget(0, t -> Set.of());

  /** The cap {@code limit} over the racks of the current cluster map. */
  public static RackBudget of(long limit, Supplier<ClusterMap> map) {
    if (limit <= 0) {
      return NONE;
    }
    return new RackBudget(
        limit,
        task -> {
          if (task.type() != TaskType.COPY) {
            return Set.of();
          }
          ClusterMap current = map.get();
          Set<String> racks = new HashSet<>(2);
          for (String pool : new String[] {task.sourcePool(), task.targetPool()}) {
            current
                .pool(pool)
                .flatMap(p -> current.ancestor(p, DomainLevel.RACK))
                .ifPresent(rack -> racks.add(rack.id()));
          }
          return racks;
        });
  }

  boolean capped() {
    return limit > 0;
  }
}
