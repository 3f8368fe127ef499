package io.strata.protocol.heartbeat;

import java.util.List;

/**
 * What a storage node has, measured on the node at each heartbeat.
 *
 * @param hostname the node's host name
 * @param cpus processors available to the agent
 * @param memoryBytes physical memory of the node
 * @param loadAverage one-minute system load average, or -1 when unknown
 * @param blockDevices block devices from {@code /sys/block} (virtual ones excluded)
 * @param fileSystems capacity and use of every configured data path
 */
public record Inventory(
    String hostname,
    int cpus,
    long memoryBytes,
    double loadAverage,
    List<BlockDevice> blockDevices,
    List<FileSystemUsage> fileSystems) {
  public Inventory {
    blockDevices = blockDevices == null ? List.of() : List.copyOf(blockDevices);
    fileSystems = fileSystems == null ? List.of() : List.copyOf(fileSystems);
  }
}
