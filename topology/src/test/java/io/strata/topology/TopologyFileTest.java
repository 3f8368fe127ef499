package io.strata.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyFileTest {
  private static final String TIERS = "tiers:\n  - {name: hot, fillCeiling: 0.8}\n";

  private static TopologyException rejected(String text) {
    try {
      TopologyFile.parse("t.yaml", text);
    } catch (TopologyException e) {
      return e;
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void demoTopologyHasTwoSitesFourRoomsAndEightPools() {
    ClusterMap map = DemoTopology.map();
    assertThat(map.domains().values().stream().filter(d -> d.level() == DomainLevel.SITE))
        .hasSize(2);
    assertThat(map.domains().values().stream().filter(d -> d.level() == DomainLevel.ROOM))
        .hasSize(4);
    assertThat(map.pools()).hasSize(8);
    Pool pool = map.pool("lytm-b-r01-cold").orElseThrow();
    assertThat(map.ancestor(pool, DomainLevel.SITE).orElseThrow().id())
        .isEqualTo("liyang-tianmuhu");
    assertThat(pool.capacityBytes()).isEqualTo(8 * ByteSize.GIB);
  }

  @Test
  void aTopologyOfTenThousandRacksWithTheirNodesParses() {
    StringBuilder text =
        new StringBuilder(TIERS)
            .append("domains:\n  - {id: region-1, level: region}\n")
            .append("  - {id: site-1, level: site, parent: region-1}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int room = 0; room < 20; room++) {
      text.append("  - {id: room-%02d, level: room, parent: site-1}\n".formatted(room));
      for (int r = 0; r < 500; r++) {
        String rack = "rack-%02d-%03d".formatted(room, r);
        text.append("  - {id: %s, level: rack, parent: room-%02d}\n".formatted(rack, room));
        for (int n = 0; n < 2; n++) { // The design has 5 a rack: 6 MB.
          text.append("  - {id: %s-n%d, level: node, parent: %s}\n".formatted(rack, n, rack));
        }
        pools.append(
            "  - {id: %s-hot, domain: %s-n0, tier: hot, endpoint: \"http://10.%d.%d.1:9000\", capacity: 1PiB, credentials: \"file:pool.credentials\"}\n"
                .formatted(rack, rack, room, r % 250));
      }
    }
    text.append(pools);
    assertThat(text.length()).as("over SnakeYAML's default limit").isGreaterThan(3 << 20);

    ClusterMap map = TopologyFile.parse("fleet.yaml", text.toString());

    assertThat(map.pools()).hasSize(10_000);
    assertThat(map.domains().values().stream().filter(d -> d.level() == DomainLevel.NODE))
        .hasSize(20_000);
  }

  @Test
  void writeThenParseGivesTheSameMap() {
    ClusterMap map = DemoTopology.map();
    ClusterMap again = TopologyFile.parse("again.yaml", TopologyFile.write(map));
    assertThat(again.epoch()).isEqualTo(map.epoch());
    assertThat(again.pools()).isEqualTo(map.pools());
    assertThat(again.domains()).isEqualTo(map.domains());
    assertThat(again.tiers()).isEqualTo(map.tiers());
  }

  private static final String LOCKING =
      TIERS
          + "domains:\n  - {id: r, level: region}\n  - {id: n1, level: node, parent: r}\n"
          + "pools:\n"
          + "  - {id: p1, domain: n1, tier: hot, endpoint: \"http://a:9000\", capacity: 1TiB,"
          + " objectLock: governance}\n"
          + "  - {id: p2, domain: n1, tier: hot, endpoint: \"http://b:9000\", capacity: 1TiB,"
          + " objectLock: COMPLIANCE}\n"
          + "  - {id: p3, domain: n1, tier: hot, endpoint: \"http://c:9000\", capacity: 1TiB}\n";

  @Test
  void aPoolsObjectLockIsReadWrittenAndEncodedAndNoneByDefault() {
    ClusterMap map = TopologyFile.parse("t.yaml", LOCKING);

    assertThat(map.pool("p1").orElseThrow().objectLock()).isEqualTo(ObjectLock.GOVERNANCE);
    assertThat(map.pool("p2").orElseThrow().objectLock()).isEqualTo(ObjectLock.COMPLIANCE);
    assertThat(map.pool("p3").orElseThrow().objectLock()).isEqualTo(ObjectLock.NONE);
    String written = TopologyFile.write(map);
    assertThat(written).contains("objectLock: governance").contains("objectLock: compliance");
    assertThat(TopologyFile.parse("again.yaml", written).pools()).isEqualTo(map.pools());
    assertThat(MapCodec.decode(MapCodec.encode(map)).pools()).isEqualTo(map.pools());
  }

  @Test
  void anUnknownObjectLockIsRejectedNamingThePoolAndTheField() {
    assertThat(rejected(LOCKING.replace("objectLock: governance", "objectLock: strict")).problems())
        .contains(
            "t.yaml: pool 'p1': objectLock 'strict' is not one of none, governance, compliance");
  }

  @Test
  void cycleIsRejectedNamingTheDomain() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region}\n"
            + "  - {id: a, level: rack, parent: b}\n  - {id: b, level: rack, parent: a}\n";
    assertThat(rejected(text).problems()).anyMatch(p -> p.contains("'a' is part of a cycle"));
  }

  @Test
  void duplicateIdIsRejected() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region}\n  - {id: s, level: site, parent: r}\n"
            + "  - {id: s, level: site, parent: r}\n";
    assertThat(rejected(text).problems()).anyMatch(p -> p.contains("domain 's' is defined twice"));
  }

  @Test
  void poolWithoutParentIsRejected() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region}\n"
            + "pools:\n  - {id: p1, tier: hot, endpoint: 'http://x', capacity: 1TiB}\n";
    assertThat(rejected(text).problems()).anyMatch(p -> p.contains("pool 'p1' has no parent"));
  }

  @Test
  void negativeWeightAndUnknownTierAreBothReported() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region}\n"
            + "pools:\n  - {id: p1, domain: r, tier: hot, endpoint: 'http://x', weight: -1}\n"
            + "  - {id: p2, domain: r, tier: lukewarm, endpoint: 'http://x'}\n";
    assertThat(rejected(text).problems())
        .anyMatch(p -> p.contains("pool 'p1': weight -1.0 is negative"))
        .anyMatch(p -> p.contains("pool 'p2': tier 'lukewarm' is unknown"));
  }

  @Test
  void childAboveItsParentIsRejected() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region}\n  - {id: k, level: rack, parent: r}\n"
            + "  - {id: s, level: site, parent: k}\n";
    assertThat(rejected(text).problems())
        .anyMatch(p -> p.contains("site 's' cannot sit inside rack 'k'"));
  }

  @Test
  void unknownKeyNamesKeyAndLine() {
    String text = TIERS + "domains:\n  - {id: r, level: region, colour: red}\n";
    assertThat(rejected(text).getMessage()).contains("t.yaml:4").contains("unknown key 'colour'");
  }

  @Test
  void aPoolEntryIsReadAsStrictlyAsAFilesPools() {
    TopologyFile.PoolEntry entry =
        TopologyFile.poolEntry(
            "body",
            "{\"id\": \"p9\", \"domain\": \"n1\", \"tier\": \"hot\", \"endpoint\": \"http://x\","
                + " \"capacity\": \"2TiB\", \"weight\": 2}");
    assertThat(entry.id()).isEqualTo("p9");
    assertThat(entry.weight()).isEqualTo(2.0);

    assertThatThrownBy(
            () -> TopologyFile.poolEntry("body", "{\"id\": \"p9\", \"capcity\": \"2TiB\"}"))
        .hasMessageContaining("body:1:")
        .hasMessageContaining("unknown key 'capcity'");
    assertThatThrownBy(() -> TopologyFile.poolEntry("body", "{\"id\": \"p9\", \"weight\": [1]}"))
        .hasMessageContaining("body:1:");
    assertThatThrownBy(() -> TopologyFile.poolEntry("body", ""))
        .hasMessageContaining("body: no pool given");
  }

  @Test
  void badLevelAndCapacityAreReported() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: planet}\n"
            + "pools:\n  - {id: p1, domain: r, tier: hot, endpoint: 'http://x', capacity: lots}\n";
    assertThatThrownBy(() -> TopologyFile.parse("t.yaml", text))
        .hasMessageContaining("level 'planet'")
        .hasMessageContaining("'lots' is not a size");
  }

  @Test
  void effectiveStateTakesTheWorstEnclosingState() {
    ClusterMap map = DemoTopology.map();
    Domain rack = map.domain("czzl-a-r01").orElseThrow();
    ClusterMap drained = map.withDomain(rack.withState(DomainState.DRAINING));
    assertThat(drained.epoch()).isEqualTo(map.epoch() + 1);
    assertThat(drained.effectiveState(drained.pool("czzl-a-r01-hot").orElseThrow()))
        .isEqualTo(DomainState.DRAINING);
    assertThat(drained.effectiveState(drained.pool("czzl-a-r02-warm").orElseThrow()))
        .isEqualTo(DomainState.UP);
  }

  @Test
  void byteSizesParseBinaryAndDecimalUnits() {
    assertThat(ByteSize.parse("512KiB")).isEqualTo(512 * 1024);
    assertThat(ByteSize.parse("2GB")).isEqualTo(2_000_000_000L);
    assertThat(ByteSize.parse("1.5 TiB")).isEqualTo(3 * ByteSize.TIB / 2);
    assertThat(ByteSize.format(3 * ByteSize.TIB / 2)).isEqualTo("1.5 TiB");
    assertThatThrownBy(() -> ByteSize.parse("-3GiB")).hasMessageContaining("not a size");
  }

  @Test
  void unknownStatesOfDomainsAndPoolsAreNamed() {
    String text =
        TIERS
            + "domains:\n  - {id: r, level: region, state: melting}\n"
            + "pools:\n  - {id: p1, domain: r, tier: hot, endpoint: 'http://x', state: gone}\n";
    assertThat(rejected(text).problems())
        .anyMatch(
            p -> p.contains("domain 'r': state 'melting' is not one of up, draining, out, down"))
        .anyMatch(p -> p.contains("pool 'p1': state 'gone' is not one of up, draining, out, down"));
  }
}
