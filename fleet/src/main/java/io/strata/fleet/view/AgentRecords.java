package io.strata.fleet.view;

import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import java.util.List;
import java.util.Objects;

/** What of a heartbeat is worth a write of the agent's record. Pure. */
public final class AgentRecords {
  private AgentRecords() {}

  /** The parts of a heartbeat that change by events, not by every beat. */
  private record Lasting(
      String node,
      String version,
      String metricsUrl,
      String hostname,
      int cpus,
      long memoryBytes,
      List<BlockDevice> blockDevices,
      List<String> dataPaths,
      List<Long> dataPathCapacities,
      List<PoolReport> pools) {}

  /**
   * Whether two heartbeats of an agent differ only in their counters: sequence, send time, load
   * average, bytes used and free on the data paths, and task progress. The node, its drives (and
   * their SMART health), data paths and capacities, the pools with their reachability and census,
   * and the software all count.
   */
  public static boolean sameBeyondCounters(Heartbeat a, Heartbeat b) {
    return Objects.equals(lasting(a), lasting(b));
  }

  private static Lasting lasting(Heartbeat beat) {
    Inventory inv = beat.inventory();
    return new Lasting(
        beat.node(),
        beat.version(),
        beat.metricsUrl(),
        inv == null ? null : inv.hostname(),
        inv == null ? 0 : inv.cpus(),
        inv == null ? 0 : inv.memoryBytes(),
        inv == null ? List.of() : inv.blockDevices(),
        inv == null ? List.of() : inv.fileSystems().stream().map(FileSystemUsage::path).toList(),
        inv == null
            ? List.of()
            : inv.fileSystems().stream().map(FileSystemUsage::totalBytes).toList(),
        beat.pools());
  }
}
