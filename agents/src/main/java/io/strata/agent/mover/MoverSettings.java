package io.strata.agent.mover;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Tuning of the mover. Every value has a default in {@link #defaults()}.
 *
 * @param maxConcurrentTransfers objects copied, verified or deleted at once per agent, across all
 *     tasks (1..1024; default 16)
 * @param maxConcurrentTasks tasks running at once per agent (1..256; default 4)
 * @param partSize multipart part size in bytes; objects up to this size go in one PUT (5 MiB..5
 *     GiB; default 16 MiB)
 * @param bufferLimit objects without a stored SHA-256 up to this size are hashed in memory and read
 *     once; larger ones are read twice (once to hash, once to copy) so that no whole large object
 *     is ever held in memory (0..partSize; default 8 MiB)
 * @param agentBytesPerSecond bandwidth budget of the agent, 0 for unlimited
 * @param poolBytesPerSecond bandwidth budget per pool id (reads and writes), 0 or absent for
 *     unlimited
 * @param retry retries of transient S3 errors
 * @param connectTimeout TCP connect timeout to pools
 * @param ioTimeout read and write timeout on pool connections
 */
public record MoverSettings(
    int maxConcurrentTransfers,
    int maxConcurrentTasks,
    long partSize,
    long bufferLimit,
    long agentBytesPerSecond,
    Map<String, Long> poolBytesPerSecond,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration ioTimeout) {

  private static final long MIB = 1024 * 1024;
  static final long MIN_PART_SIZE = 5 * MIB;

  public MoverSettings {
    requireBetween("maxConcurrentTransfers", maxConcurrentTransfers, 1, 1024);
    requireBetween("maxConcurrentTasks", maxConcurrentTasks, 1, 256);
    requireBetween("partSize", partSize, MIN_PART_SIZE, 5 * 1024 * MIB);
    requireBetween("bufferLimit", bufferLimit, 0, partSize);
    requireBetween("agentBytesPerSecond", agentBytesPerSecond, 0, Long.MAX_VALUE);
    poolBytesPerSecond = Map.copyOf(Objects.requireNonNullElse(poolBytesPerSecond, Map.of()));
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(ioTimeout, "ioTimeout");
  }

  /** Defaults fit for a storage node with a 10 Gbit/s link. */
  public static MoverSettings defaults() {
    return new MoverSettings(
        16,
        4,
        16 * MIB,
        8 * MIB,
        0,
        Map.of(),
        RetryPolicy.defaults(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60));
  }

  public MoverSettings withConcurrentTransfers(int transfers) {
    return new MoverSettings(
        transfers,
        maxConcurrentTasks,
        partSize,
        bufferLimit,
        agentBytesPerSecond,
        poolBytesPerSecond,
        retry,
        connectTimeout,
        ioTimeout);
  }

  public MoverSettings withPartSize(long bytes) {
    return new MoverSettings(
        maxConcurrentTransfers,
        maxConcurrentTasks,
        bytes,
        Math.min(bufferLimit, bytes),
        agentBytesPerSecond,
        poolBytesPerSecond,
        retry,
        connectTimeout,
        ioTimeout);
  }

  public MoverSettings withAgentBytesPerSecond(long bytesPerSecond) {
    return new MoverSettings(
        maxConcurrentTransfers,
        maxConcurrentTasks,
        partSize,
        bufferLimit,
        bytesPerSecond,
        poolBytesPerSecond,
        retry,
        connectTimeout,
        ioTimeout);
  }

  public MoverSettings withPoolBytesPerSecond(Map<String, Long> perPool) {
    return new MoverSettings(
        maxConcurrentTransfers,
        maxConcurrentTasks,
        partSize,
        bufferLimit,
        agentBytesPerSecond,
        perPool,
        retry,
        connectTimeout,
        ioTimeout);
  }

  public MoverSettings withRetry(RetryPolicy policy) {
    return new MoverSettings(
        maxConcurrentTransfers,
        maxConcurrentTasks,
        partSize,
        bufferLimit,
        agentBytesPerSecond,
        poolBytesPerSecond,
        policy,
        connectTimeout,
        ioTimeout);
  }

  private static void requireBetween(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
