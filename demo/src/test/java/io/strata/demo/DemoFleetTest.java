package io.strata.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoFleetTest {
  @TempDir Path dir;

  @Test
  void aPortInUseIsNamedBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path data = dir.resolve("demo");
      DemoFleet.Ports ports = new DemoFleet.Ports(taken.getLocalPort(), 0, 0, 0);

      assertThatThrownBy(() -> DemoFleet.start(data, ports, 1))
          .isInstanceOf(DemoFleet.PortInUseException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1")
          .hasMessageContaining("for the console and API (--port)")
          .hasMessageContaining("start the demo with another --port");
      assertThat(data.resolve("zookeeper")).as("no ZooKeeper started").doesNotExist();
      assertThat(data.resolve("pools")).as("no pool started").doesNotExist();
      assertThat(Files.exists(data.resolve("security"))).as("no credentials made").isFalse();
    }
  }
}
