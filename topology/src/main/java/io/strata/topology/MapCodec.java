package io.strata.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The compact binary form of a cluster map, for ZooKeeper: one version byte, then the map's fields
 * (epoch, tiers, domains, pools with their slots, exceptions) deflated. A 10,000-rack map is a few
 * hundred KiB; {@link MapChunks} splits it when it exceeds a node's limit. Pure: bytes in, bytes
 * out.
 *
 * <p>Compatibility: a reader accepts only the versions it knows and says which ones otherwise; a
 * new field means a new version, and readers are upgraded before writers.
 */
public final class MapCodec {
  /** The version this build writes: 2 adds each pool's object lock. */
  public static final byte VERSION = 2;

  /** The versions this build reads. */
  private static final byte FIRST_VERSION = 1;

  private static final ObjectLock[] LOCKS = ObjectLock.values();

  private static final DomainLevel[] LEVELS = DomainLevel.values();
  private static final DomainState[] STATES = DomainState.values();

  private MapCodec() {}

  /** Encodes a map; {@link #decode} gives back an equal map. */
  public static byte[] encode(ClusterMap map) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(VERSION);
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater))) {
      out.writeLong(map.epoch());
      out.writeInt(map.tiers().size());
      for (Tier t : map.tiers().values()) {
        out.writeUTF(t.name());
        writeNullable(out, t.media());
        writeNullable(out, t.erasure());
        out.writeDouble(t.costPerTbMonth());
        out.writeDouble(t.fillCeiling());
      }
      out.writeInt(map.domains().size());
      for (Domain d : map.domains().values()) {
        out.writeUTF(d.id());
        out.writeByte(d.level().ordinal());
        writeNullable(out, d.parent());
        out.writeInt(d.labels().size());
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(d.labels()).entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
        out.writeByte(d.state().ordinal());
      }
      out.writeInt(map.pools().size());
      for (Pool p : map.pools().values()) {
        out.writeUTF(p.id());
        writeNullable(out, p.domain());
        writeNullable(out, p.tier());
        writeNullable(out, p.endpoint());
        out.writeLong(p.capacityBytes());
        writeNullable(out, p.credentialsRef());
        out.writeByte(p.state().ordinal());
        out.writeDouble(p.weight());
        out.writeInt(map.slot(p.id()));
        out.writeByte(p.objectLock().ordinal());
      }
      List<CopyRemap> remaps = new ArrayList<>(map.allRemaps());
      remaps.sort(Comparator.comparing(CopyRemap::shard).thenComparing(CopyRemap::from));
      out.writeInt(remaps.size());
      for (CopyRemap r : remaps) {
        out.writeUTF(r.shard());
        out.writeUTF(r.from());
        out.writeUTF(r.to());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    } finally {
      deflater.end();
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a map written by {@link #encode}.
   *
   * @throws TopologyException when the version is unknown, the bytes are truncated or corrupt, or
   *     the map they hold is invalid
   */
  public static ClusterMap decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new TopologyException(List.of("cluster map encoding is empty"));
    }
    byte version = bytes[0];
    if (version < FIRST_VERSION || version > VERSION) {
      throw new TopologyException(
          List.of(
              "cluster map encoding version "
                  + version
                  + " is not supported; this build reads versions "
                  + FIRST_VERSION
                  + " to "
                  + VERSION));
    }
    Inflater inflater = new Inflater();
    try (DataInputStream in =
        new DataInputStream(
            new InflaterInputStream(
                new ByteArrayInputStream(bytes, 1, bytes.length - 1), inflater))) {
      long epoch = in.readLong();
      List<Tier> tiers = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        tiers.add(
            new Tier(
                in.readUTF(),
                readNullable(in),
                readNullable(in),
                in.readDouble(),
                in.readDouble()));
      }
      List<Domain> domains = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        String id = in.readUTF();
        DomainLevel level = LEVELS[in.readUnsignedByte()];
        String parent = readNullable(in);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int j = in.readInt(); j > 0; j--) {
          labels.put(in.readUTF(), in.readUTF());
        }
        domains.add(new Domain(id, level, parent, labels, STATES[in.readUnsignedByte()]));
      }
      List<Pool> pools = new ArrayList<>();
      Map<String, Integer> slots = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        Pool p =
            new Pool(
                in.readUTF(),
                readNullable(in),
                readNullable(in),
                readNullable(in),
                in.readLong(),
                readNullable(in),
                STATES[in.readUnsignedByte()],
                in.readDouble());
        int slot = in.readInt();
        if (version >= 2) {
          p =
              new Pool(
                  p.id(),
                  p.domain(),
                  p.tier(),
                  p.endpoint(),
                  p.capacityBytes(),
                  p.credentialsRef(),
                  p.state(),
                  p.weight(),
                  LOCKS[in.readUnsignedByte()]);
        }
        pools.add(p);
        slots.put(p.id(), slot);
      }
      List<CopyRemap> remaps = new ArrayList<>();
      for (int i = in.readInt(); i > 0; i--) {
        remaps.add(new CopyRemap(in.readUTF(), in.readUTF(), in.readUTF()));
      }
      return ClusterMap.of(epoch, tiers, domains, pools, slots, remaps);
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      Throwable cause = e.getCause() instanceof DataFormatException ? e.getCause() : e;
      throw new TopologyException(
          List.of("cluster map encoding is truncated or corrupt: " + cause.getMessage()));
    } finally {
      inflater.end();
    }
  }

  private static void writeNullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
