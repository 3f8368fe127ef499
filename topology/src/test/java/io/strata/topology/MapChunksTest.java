package io.strata.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapChunksTest {
  /** A fleet of 10,000 racks of 4 nodes: the size the design must hold. */
  static ClusterMap largeFleet() {
    List<Domain> domains = new ArrayList<>();
    List<Pool> pools = new ArrayList<>();
    domains.add(new Domain("cn-east", DomainLevel.REGION, null, null, null));
    domains.add(new Domain("changzhou", DomainLevel.SITE, "cn-east", null, null));
    for (int m = 0; m < 20; m++) {
      String room = String.format("cz-room%02d", m);
      domains.add(new Domain(room, DomainLevel.ROOM, "changzhou", null, null));
      for (int k = 0; k < 500; k++) {
        String rack = String.format("%s-r%03d", room, k);
        domains.add(new Domain(rack, DomainLevel.RACK, room, null, null));
        for (int n = 0; n < 4; n++) {
          String node = rack + "-n" + n;
          domains.add(new Domain(node, DomainLevel.NODE, rack, null, null));
          pools.add(
              new Pool(
                  node + "-p",
                  node,
                  "warm-hdd",
                  "http://" + node + ".pool.strata:9000",
                  400 * ByteSize.TIB,
                  "env:STRATA_" + node.toUpperCase().replace('-', '_'),
                  null,
                  400));
        }
      }
    }
    return ClusterMap.of(
        7, List.of(new Tier("warm-hdd", "hdd", "EC 12+4", 35, 0.9)), domains, pools);
  }

  @Test
  void largeMapRoundTripsThroughChunksNoneAboveTheZnodeLimit() {
    ClusterMap map = largeFleet();
    byte[] encoded = MapCodec.encode(map);
    List<byte[]> chunks = MapChunks.split(encoded, 64 * 1024);
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allMatch(c -> c.length <= 64 * 1024);
    assertThat(MapChunks.split(encoded)).allMatch(c -> c.length <= MapChunks.ZNODE_LIMIT);
    assertThat(MapCodec.decode(MapChunks.join(chunks))).isEqualTo(map);
  }

  @Test
  void demoMapWithExceptionsRoundTripsThroughTheCodec() {
    ClusterMap demo = DemoTopology.map();
    ClusterMap map =
        demo.withRemaps(List.of(new CopyRemap("ds/1", "czzl-a-r01-hot", "lytm-a-r01-hot")))
            .withPool(demo.pool("czzl-b-r01-hot").orElseThrow().withState(DomainState.DRAINING));
    assertThat(MapChunks.toMap(MapChunks.of(map))).isEqualTo(map);
    assertThat(TopologyFile.parse("again.yaml", TopologyFile.write(map))).isEqualTo(map);
  }

  @Test
  void chunkSizeIsExactlyBoundedIncludingTheHeader() {
    byte[] payload = new byte[1000];
    List<byte[]> chunks = MapChunks.split(payload, 120);
    assertThat(chunks).hasSize(10).allMatch(c -> c.length <= 120);
    assertThat(MapChunks.join(chunks)).isEqualTo(payload);
    assertThat(MapChunks.join(MapChunks.split(new byte[0], 120))).isEmpty();
  }

  @Test
  void missingReorderedMixedOrDamagedChunksAreRejected() {
    byte[] payload = MapCodec.encode(DemoTopology.map());
    List<byte[]> chunks = MapChunks.split(payload, 200);
    assertThatThrownBy(() -> MapChunks.join(chunks.subList(0, chunks.size() - 1)))
        .hasMessageContaining("the write made " + chunks.size());
    List<byte[]> swapped = new ArrayList<>(chunks);
    swapped.set(0, chunks.get(1));
    swapped.set(1, chunks.get(0));
    assertThatThrownBy(() -> MapChunks.join(swapped)).hasMessageContaining("out of order");
    List<byte[]> mixed = new ArrayList<>(chunks);
    mixed.set(1, MapChunks.split(MapCodec.encode(DemoTopology.map().atEpoch(5)), 200).get(1));
    assertThatThrownBy(() -> MapChunks.join(mixed)).hasMessageContaining("another write");
    List<byte[]> damaged = new ArrayList<>(chunks);
    byte[] bad = chunks.get(2).clone();
    bad[MapChunks.HEADER_BYTES + 3] ^= 1;
    damaged.set(2, bad);
    assertThatThrownBy(() -> MapChunks.join(damaged)).hasMessageContaining("checksum");
  }

  @Test
  void unknownEncodingVersionIsNamed() {
    byte[] bytes = MapCodec.encode(DemoTopology.map());
    bytes[0] = 9;
    assertThatThrownBy(() -> MapCodec.decode(bytes))
        .hasMessageContaining("version 9 is not supported");
  }
}
