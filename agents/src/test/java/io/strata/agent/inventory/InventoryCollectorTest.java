package io.strata.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.heartbeat.BlockDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCollectorTest {

  @TempDir Path dir;

  @Test
  void smartHealthIsReadOncePerIntervalNotOnEveryHeartbeat() throws Exception {
    Path sysBlock = Files.createDirectories(dir.resolve("sys/block/sda"));
    Files.writeString(sysBlock.resolve("size"), "2048\n");
    Path calls = dir.resolve("calls");
    Path smartctl = dir.resolve("smartctl");
    Files.writeString(
        smartctl, "#!/bin/sh\necho \"$2\" >> " + calls + "\necho 'SMART overall-health: PASSED'\n");
    Files.setPosixFilePermissions(smartctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    InventoryCollector collector =
        new InventoryCollector(sysBlock.getParent(), List.of(dir), smartctl);

    for (int beat = 0; beat < 5; beat++) {
      List<BlockDevice> devices = collector.blockDevices();
      assertThat(devices).extracting(BlockDevice::name).containsExactly("sda");
      assertThat(devices.get(0).smartHealthy()).isTrue();
    }
    assertThat(Files.readAllLines(calls)).containsExactly("/dev/sda");
  }
}
