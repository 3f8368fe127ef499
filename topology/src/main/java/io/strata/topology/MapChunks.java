package io.strata.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits an encoded cluster map into ordered chunks that each fit a ZooKeeper node, and joins them
 * back, verifying order, completeness and a checksum of the whole. Pure: bytes in, bytes out.
 *
 * <p>Each chunk is a {@value #HEADER_BYTES}-byte header (magic {@code SC}, format version, chunk
 * index, chunk count, total length, CRC32C of the whole payload) followed by its slice of the
 * payload. A reader that finds chunks of two different writes (a torn update) sees different totals
 * or checksums and gets an error, never a mixed map.
 */
public final class MapChunks {
  /** The largest ZooKeeper node Strata writes: 512 KiB, below ZooKeeper's 1 MiB jute limit. */
  public static final int ZNODE_LIMIT = 512 * 1024;

  /** Bytes of header in every chunk. */
  public static final int HEADER_BYTES = 20;

  private static final short MAGIC = 0x5343;
  private static final byte FORMAT = 1;

  private MapChunks() {}

  /** Splits into chunks of at most {@link #ZNODE_LIMIT} bytes each, header included. */
  public static List<byte[]> split(byte[] payload) {
    return split(payload, ZNODE_LIMIT);
  }

  /**
   * Splits into chunks of at most {@code maxChunkBytes} bytes each, header included; an empty
   * payload gives one chunk.
   *
   * @throws IllegalArgumentException when {@code maxChunkBytes} leaves no room for data
   */
  public static List<byte[]> split(byte[] payload, int maxChunkBytes) {
    int room = maxChunkBytes - HEADER_BYTES;
    if (room < 1) {
      throw new IllegalArgumentException(
          "chunk size " + maxChunkBytes + " is not above the " + HEADER_BYTES + "-byte header");
    }
    int count = Math.max(1, (payload.length + room - 1) / room);
    int crc = crc(payload, 0, payload.length);
    List<byte[]> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * room;
      int len = Math.min(room, payload.length - from);
      ByteBuffer chunk = ByteBuffer.allocate(HEADER_BYTES + len);
      chunk.putShort(MAGIC).put(FORMAT).put((byte) 0);
      chunk.putInt(i).putInt(count).putInt(payload.length).putInt(crc);
      chunk.put(payload, from, len);
      chunks.add(chunk.array());
    }
    return chunks;
  }

  /**
   * Joins chunks given in order.
   *
   * @throws TopologyException naming the chunk that is missing, out of order, from another write,
   *     or when the joined bytes fail the checksum
   */
  public static byte[] join(List<byte[]> chunks) {
    if (chunks.isEmpty()) {
      throw new TopologyException(List.of("cluster map chunks: none given"));
    }
    ByteBuffer first = header(chunks.get(0), 0);
    int count = first.getInt(8);
    int total = first.getInt(12);
    int crc = first.getInt(16);
    if (chunks.size() != count) {
      throw new TopologyException(
          List.of("cluster map chunks: " + chunks.size() + " given, the write made " + count));
    }
    byte[] payload = new byte[total];
    int at = 0;
    for (int i = 0; i < count; i++) {
      byte[] chunk = chunks.get(i);
      ByteBuffer h = header(chunk, i);
      if (h.getInt(4) != i) {
        throw new TopologyException(
            List.of("cluster map chunk " + i + ": holds part " + h.getInt(4) + ", out of order"));
      }
      if (h.getInt(8) != count || h.getInt(12) != total || h.getInt(16) != crc) {
        throw new TopologyException(
            List.of("cluster map chunk " + i + ": belongs to another write than chunk 0"));
      }
      int len = chunk.length - HEADER_BYTES;
      if (at + len > total) {
        throw new TopologyException(
            List.of("cluster map chunk " + i + ": more bytes than the total " + total));
      }
      System.arraycopy(chunk, HEADER_BYTES, payload, at, len);
      at += len;
    }
    if (at != total || crc(payload, 0, total) != crc) {
      throw new TopologyException(
          List.of("cluster map chunks: joined bytes fail the checksum; a chunk is damaged"));
    }
    return payload;
  }

  /** Whether {@code data} is a chunk (starts with the magic and format), not a whole text. */
  public static boolean isChunk(byte[] data) {
    if (data.length < HEADER_BYTES) {
      return false;
    }
    ByteBuffer h = ByteBuffer.wrap(data, 0, HEADER_BYTES);
    return h.getShort(0) == MAGIC && h.get(2) == FORMAT;
  }

  /** How many chunks the write of {@code chunk} made. */
  public static int count(byte[] chunk) {
    return header(chunk, 0).getInt(8);
  }

  /** The checksum of the whole payload {@code chunk} is part of: names one write's chunks. */
  public static int checksum(byte[] chunk) {
    return header(chunk, 0).getInt(16);
  }

  /** Encodes a map and splits it: what a writer stores, one node per chunk. */
  public static List<byte[]> of(ClusterMap map) {
    return split(MapCodec.encode(map));
  }

  /** Joins chunks and decodes the map they hold. */
  public static ClusterMap toMap(List<byte[]> chunks) {
    return MapCodec.decode(join(chunks));
  }

  private static ByteBuffer header(byte[] chunk, int position) {
    if (chunk.length < HEADER_BYTES) {
      throw new TopologyException(
          List.of("cluster map chunk " + position + ": shorter than its header"));
    }
    ByteBuffer h = ByteBuffer.wrap(Arrays.copyOf(chunk, HEADER_BYTES));
    if (h.getShort(0) != MAGIC || h.get(2) != FORMAT) {
      throw new TopologyException(
          List.of("cluster map chunk " + position + ": not a chunk of format " + FORMAT));
    }
    return h;
  }

  private static int crc(byte[] bytes, int from, int len) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, len);
    return (int) crc.getValue();
  }
}
