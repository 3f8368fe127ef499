package io.strata.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The map's encoding across versions: a map written before pools had an object lock still reads.
 */
class MapCodecTest {

  /** {@code map} as version 1 wrote it: every field of version 2 but the pools' object lock. */
  private static byte[] version1(ClusterMap map) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(1);
    try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
      out.writeLong(map.epoch());
      out.writeInt(map.tiers().size());
      for (Tier t : map.tiers().values()) {
        out.writeUTF(t.name());
        nullable(out, t.media());
        nullable(out, t.erasure());
        out.writeDouble(t.costPerTbMonth());
        out.writeDouble(t.fillCeiling());
      }
      out.writeInt(map.domains().size());
      for (Domain d : map.domains().values()) {
        out.writeUTF(d.id());
        out.writeByte(d.level().ordinal());
        nullable(out, d.parent());
        out.writeInt(d.labels().size());
        for (Map.Entry<String, String> e : new TreeMap<>(d.labels()).entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
        out.writeByte(d.state().ordinal());
      }
      out.writeInt(map.pools().size());
      for (Pool p : map.pools().values()) {
        out.writeUTF(p.id());
        nullable(out, p.domain());
        nullable(out, p.tier());
        nullable(out, p.endpoint());
        out.writeLong(p.capacityBytes());
        nullable(out, p.credentialsRef());
        out.writeByte(p.state().ordinal());
        out.writeDouble(p.weight());
        out.writeInt(map.slot(p.id()));
      }
      out.writeInt(0);
    }
    return bytes.toByteArray();
  }

  private static void nullable(DataOutputStream out, String s) throws Exception {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  @Test
  void aVersion1MapReadsWithPoolsThatLockNothing() throws Exception {
    ClusterMap map = DemoTopology.map();

    ClusterMap read = MapCodec.decode(version1(map));

    assertThat(read).isEqualTo(map);
    assertThat(read.pools().values()).allMatch(p -> p.objectLock() == ObjectLock.NONE);
  }

  @Test
  void version2CarriesEachPoolsObjectLock() {
    ClusterMap map = DemoTopology.map();
    Pool first = map.pools().values().iterator().next();
    ClusterMap locked =
        map.withPool(
            new Pool(
                first.id(),
                first.domain(),
                first.tier(),
                first.endpoint(),
                first.capacityBytes(),
                first.credentialsRef(),
                first.state(),
                first.weight(),
                ObjectLock.COMPLIANCE));

    byte[] encoded = MapCodec.encode(locked);

    assertThat(encoded[0]).isEqualTo(MapCodec.VERSION).isEqualTo((byte) 2);
    assertThat(MapCodec.decode(encoded).pool(first.id()).orElseThrow().objectLock())
        .isEqualTo(ObjectLock.COMPLIANCE);
    assertThat(MapCodec.decode(encoded)).isEqualTo(locked);
  }
}
