package io.strata.topology.crush;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.TopologyException;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
