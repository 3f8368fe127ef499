package io.strata.agent.inventory;

import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.runtime.Hosts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the inventory of the node the agent runs on: host name, processors, memory, load, block
 * devices from {@code /sys/block}, and the capacity of each data path. SMART health is added when
 * {@code smartctl} is installed, and read at most once per {@link #SMART_INTERVAL} per device: a
 * heartbeat comes every few seconds, and a {@code smartctl} process per disk each time would cost a
 * storage node with dozens of disks more CPU than the rest of the agent (SMART health changes over
 * hours; monitoring agents poll it every few minutes). Each part that cannot be read is left out
 * and logged once, never thrown: an agent with a broken {@code /sys} still heartbeats.
 */
public final class InventoryCollector {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryCollector.class);

  private final Path sysBlock;
  private final List<Path> dataPaths;
  private final Path smartctl;
  private final boolean smart;

  /** How long a device's SMART health is reported before {@code smartctl} is run again. */
  static final Duration SMART_INTERVAL = Duration.ofMinutes(5);

  private record Health(Boolean passed, long readAtNanos) {}

  private final Map<String, Health> health = new ConcurrentHashMap<>();

  /**
   * @param sysBlock where block devices are listed, normally {@code /sys/block}
   * @param dataPaths the data paths whose file systems are reported
   */
  public InventoryCollector(Path sysBlock, List<Path> dataPaths) {
    this(sysBlock, dataPaths, Path.of("/usr/sbin/smartctl"));
  }

  InventoryCollector(Path sysBlock, List<Path> dataPaths, Path smartctl) {
    this.sysBlock = sysBlock;
    this.dataPaths = List.copyOf(dataPaths);
    this.smartctl = smartctl;
    this.smart = Files.isExecutable(smartctl);
  }

  /** Collects the inventory now. Blocks for at most a few seconds (SMART). */
  public Inventory collect() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = sun.getTotalMemorySize();
    }
    return new Inventory(
        Hosts.nameOrUnknown(),
        Runtime.getRuntime().availableProcessors(),
        memory,
        os.getSystemLoadAverage(),
        blockDevices(),
        fileSystems());
  }

  List<BlockDevice> blockDevices() {
    List<BlockDevice> devices = new ArrayList<>();
    if (!Files.isDirectory(sysBlock)) {
      return devices;
    }
    try (Stream<Path> entries = Files.list(sysBlock)) {
      for (Path dev : entries.sorted().toList()) {
        String name = dev.getFileName().toString();
        if (name.startsWith("loop") || name.startsWith("ram") || name.startsWith("zram")) {
          continue;
        }
        long sectors = readLong(dev.resolve("size"));
        boolean rotational = readLong(dev.resolve("queue/rotational")) == 1;
        String model = readString(dev.resolve("device/model"));
        devices.add(new BlockDevice(name, sectors * 512, rotational, model, smartHealth(name)));
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", sysBlock, e.toString());
    }
    return devices;
  }

  private Boolean smartHealth(String device) {
    if (!smart) {
      return null;
    }
    long now = System.nanoTime();
    Health last = health.get(device);
    if (last != null && now - last.readAtNanos() < SMART_INTERVAL.toNanos()) {
      return last.passed();
    }
    Boolean passed = readSmartHealth(device);
    health.put(device, new Health(passed, now));
    return passed;
  }

  private Boolean readSmartHealth(String device) {
    try {
      Process p =
          new ProcessBuilder(smartctl.toString(), "-H", "/dev/" + device)
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      String out = new String(p.getInputStream().readAllBytes());
      if (out.contains("PASSED") || out.contains(": OK")) {
        return true;
      }
      return out.contains("FAILED") ? false : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  List<FileSystemUsage> fileSystems() {
    List<FileSystemUsage> usage = new ArrayList<>();
    for (Path path : dataPaths) {
      try {
        FileStore store = Files.getFileStore(path);
        long total = store.getTotalSpace();
        usage.add(
            new FileSystemUsage(
                path.toString(),
                total,
                total - store.getUnallocatedSpace(),
                store.getUsableSpace()));
      } catch (IOException e) {
        LOG.warn("cannot read file system of data path {}: {}", path, e.toString());
      }
    }
    return usage;
  }

  private static long readLong(Path file) {
    String s = readString(file);
    try {
      return s == null ? -1 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String readString(Path file) {
    try {
      return Files.isReadable(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
