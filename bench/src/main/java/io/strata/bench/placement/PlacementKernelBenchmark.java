package io.strata.bench.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import io.strata.topology.placement.TierCopies;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One three-copy placement, spread rack, on a fleet of {@code racks} racks of 4 nodes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlacementKernelBenchmark {
  @Param({"10000"})
  public int racks;

  private Placer placer;
  private PlacementRule rule;
  private String[] shards;
  private final int[] out = new int[3];
  private int next;

  @Setup
  public void setUp() {
    ClusterMap map = BenchFleet.build(20, racks / 20, 4);
    placer = PlacementIndex.of(map).placer();
    rule = new PlacementRule(DomainLevel.RACK, List.of(new TierCopies(BenchFleet.TIER, 3)));
    shards = new String[1 << 16];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = "shard-" + i;
    }
  }

  @Benchmark
  public int placeThreeCopies() {
    String shard = shards[next++ & (shards.length - 1)];
    placer.placeSlots(shard, rule, out);
    return out[0] ^ out[1] ^ out[2];
  }
}
