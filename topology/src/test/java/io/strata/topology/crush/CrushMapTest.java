package io.strata.topology.crush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.TopologyException;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrushMapTest {
  private static final PlacementRule HOT_ROOMS =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));

  /** A map as Ceph's {@code crushtool -d} writes it: classes, chassis, pos, rules, choose_args. */
  private static final String CEPH_MAP =
      """
      # begin crush map
      tunable choose_total_tries 50
      tunable chooseleaf_stable 1

      # devices
      device 0 osd.0 class hdd
      device 1 osd.1 class hdd
      device 2 osd.2 class ssd
      device 5 osd.5 class hdd

      # types
      type 0 osd
      type 1 host
      type 2 chassis
      type 3 rack
      type 7 room
      type 8 datacenter
      type 11 root

      # buckets
      host node-a {
      \tid -3\t\t# do not change unnecessarily
      \tid -4 class hdd\t\t# do not change unnecessarily
      \talg straw2
      \thash 0\t# rjenkins1
      \titem osd.0 weight 3.63869 pos 0
      \titem osd.2 weight 0.5
      }
      chassis ch1 {
      \tid -5
      \talg straw2
      \thash 0
      \titem node-a weight 4.13869
      }
      host node-b {
      \tid -6
      \talg straw2
      \thash 0
      \titem osd.1 weight 3.63869
      \titem osd.5 weight 7.27737
      }
      rack r1 {
      \tid -7
      \talg straw2
      \thash 0
      \titem ch1 weight 4.13869
      \titem node-b weight 10.91606
      }
      datacenter dc1 {
      \tid -8
      \talg straw2
      \thash 0
      \titem r1 weight 15.05475
      }
      root default {
      \tid -1
      \talg straw2
      \thash 0
      \titem dc1 weight 15.05475
      }

      # rules
      rule replicated_rule {
      \tid 0
      \ttype replicated
      \tstep take default
      \tstep chooseleaf firstn 0 type host
      \tstep emit
      }
      choose_args 1 {
        {
          bucket_id -1
          weight_set [
            [ 15.054 ]
          ]
        }
      }
      # end crush map
      """;

  @Test
  void cephMapBecomesATopologyWithChassisDissolvedAndDevicesAsPools() {
    ClusterMap map = CrushMapReader.read("ceph.txt", CEPH_MAP);
    assertThat(map.domain("default").orElseThrow().level()).isEqualTo(DomainLevel.REGION);
    assertThat(map.domain("dc1").orElseThrow().level()).isEqualTo(DomainLevel.SITE);
    assertThat(map.domain("ch1")).isEmpty();
    assertThat(map.domain("node-a").orElseThrow().parent()).isEqualTo("r1");
    Pool osd5 = map.pool("osd.5").orElseThrow();
    assertThat(osd5.domain()).isEqualTo("node-b");
    assertThat(osd5.tier()).isEqualTo("hdd");
    assertThat(osd5.weight()).isEqualTo(7.27737);
    assertThat(map.slot("osd.5")).isEqualTo(5);
    assertThat(map.tiers()).containsOnlyKeys("hdd", "ssd");
    assertThat(map.ancestor(map.pool("osd.2").orElseThrow(), DomainLevel.RACK).orElseThrow().id())
        .isEqualTo("r1");
  }

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
   * Runs the real {@code crushtool}; skipped through a JUnit assumption, reported as skipped, when
   * crushtool is not on PATH (Debian and Ubuntu ship it in ceph-base).
   */
  @Test
  void exportedMapCompilesAndMapsWithCrushtool(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("crushtool"), "crushtool is not on PATH; install ceph-base to run this test");
    Path text = dir.resolve("map.txt");
    Files.writeString(text, CrushMapWriter.write(DemoTopology.map(), HOT_ROOMS));
    Path bin = dir.resolve("map.bin");
    assertThat(run("crushtool", "-c", text.toString(), "-o", bin.toString()).exit()).isZero();
    Result test =
        run(
            "crushtool",
            "-i",
            bin.toString(),
            "--test",
            "--show-mappings",
            "--rule",
            "0",
            "--num-rep",
            "2",
            "--min-x",
            "0",
            "--max-x",
            "9");
    assertThat(test.exit()).isZero();
    assertThat(test.out().lines().filter(l -> l.matches("CRUSH rule 0 x \\d+ \\[\\d+,\\d+\\]")))
        .hasSize(10);
  }

  @Test
  void errorsNameTheLine() {
    String text =
        "device 0 osd.0\ntype 1 host\nhost h1 {\n  id -2\n  item osd.9 weight 1\n"
            + "  item osd.0 weight -2\n}\nshelf s1 {\n}\nhost h2 {\n  item osd.0 weight x\n";
    try {
      CrushMapReader.read("bad.txt", text);
      throw new AssertionError("accepted");
    } catch (TopologyException e) {
      assertThat(e.problems())
          .contains(
              "bad.txt:5: item 'osd.9' is not defined above",
              "bad.txt:6: item 'osd.0': weight -2 is negative",
              "bad.txt:8: bucket 's1' has unknown type 'shelf'",
              "bad.txt:11: item 'osd.0': weight 'x' is not a number",
              "bad.txt:10: bucket 'h2' is never closed with '}'");
    }
  }

  @Test
  void deviceInTwoBucketsAndBadDeviceLineAreRejected() {
    String text =
        "device 0 osd.0\ndevice 1 osd.1\ntype 1 host\ntype 11 root\n"
            + "host h1 {\n item osd.0 weight 1\n}\nhost h2 {\n item osd.0 weight 1\n}\n"
            + "root default {\n item h1 weight 1\n item h2 weight 1\n}\n";
    try {
      CrushMapReader.read("two.txt", text);
      throw new AssertionError("accepted");
    } catch (TopologyException e) {
      assertThat(e.problems()).containsExactly("two.txt:9: item 'osd.0' is already in bucket 'h1'");
    }
    try {
      CrushMapReader.read("dev.txt", "device x osd.1\n");
      throw new AssertionError("accepted");
    } catch (TopologyException e) {
      assertThat(e.problems())
          .containsExactly("dev.txt:1: expected 'device <id> <name> [class <class>]'");
    }
  }

  private record Result(int exit, String out) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
