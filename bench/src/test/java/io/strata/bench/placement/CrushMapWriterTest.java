package io.strata.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.RequiredTool;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.crush.CrushMapReader;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The map the placement benchmark hands crushtool: it reads back, and crushtool compiles it. */
class CrushMapWriterTest {
  private static final PlacementRule HOT_ROOMS =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));

  @Test
  void exportedDemoReadsBackWithTheSameHierarchyAndSlots() {
    ClusterMap demo = DemoTopology.map();
    ClusterMap back = CrushMapReader.read("demo.txt", CrushMapWriter.write(demo, HOT_ROOMS));
    assertThat(back.slots()).isEqualTo(demo.slots());
    for (Pool p : demo.pools().values()) {
      Pool q = back.pool(p.id()).orElseThrow();
      assertThat(q.domain()).isEqualTo(p.domain());
      assertThat(q.tier()).isEqualTo(p.tier());
      assertThat(q.weight()).isCloseTo(p.weight(), org.assertj.core.data.Offset.offset(1e-5));
    }
    demo.domains()
        .values()
        .forEach(
            d -> {
              assertThat(back.domain(d.id()).orElseThrow().parent()).isEqualTo(d.parent());
              assertThat(back.domain(d.id()).orElseThrow().level()).isEqualTo(d.level());
            });
  }

  /**
   * Runs the real {@code crushtool}, which {@code ./strata test} installs (Debian ships it in
   * ceph-base). Without it the test fails saying so: a skip would let a run report green without
   * the check.
   */
  @Test
  void exportedMapCompilesAndMapsWithCrushtool(@TempDir Path dir) throws Exception {
    RequiredTool.CRUSHTOOL.path();
    Path text = dir.resolve("map.txt");
    Files.writeString(text, CrushMapWriter.write(DemoTopology.map(), HOT_ROOMS));
    Path bin = dir.resolve("map.bin");
    assertThat(run("crushtool", "-c", text.toString(), "-o", bin.toString()).exit()).isZero();
    Result test = run(Crushtool.test(bin, 10, 2));
    assertThat(test.exit()).isZero();
    assertThat(test.out().lines().filter(l -> l.matches("CRUSH rule 0 x \\d+ \\[\\d+,\\d+\\]")))
        .hasSize(10);
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
