package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.mover.PoolEndpoint;
import io.strata.protocol.heartbeat.PoolAddress;
import io.strata.topology.ObjectLock;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether a pool locks its copies is the cluster map's word, for configured pools too. */
class PoolDirectoryTest {

  private final PoolDirectory directory =
      new PoolDirectory(
          Map.of("a", new PoolEndpoint("a", URI.create("http://127.0.0.1:1"), "ak", "sk")),
          Path.of("/nonexistent"),
          Map.of("POOL_B_ACCESS_KEY", "ak-b", "POOL_B_SECRET_KEY", "sk-b"));

  private static Map<String, PoolAddress> addresses(String lockA, String lockB) {
    Map<String, PoolAddress> out = new HashMap<>();
    out.put("a", new PoolAddress("http://127.0.0.1:1", "env:POOL_A", lockA));
    out.put("b", new PoolAddress("http://127.0.0.1:2", "env:POOL_B", lockB));
    return out;
  }

  @Test
  void aPoolLocksAsTheControllerLastSaidAndNothingBefore() {
    assertThat(directory.find("a").orElseThrow().objectLock()).isEqualTo(ObjectLock.NONE);

    directory.learn(addresses("governance", "compliance"));
    assertThat(directory.find("a").orElseThrow().objectLock()).isEqualTo(ObjectLock.GOVERNANCE);
    assertThat(directory.find("a").orElseThrow().accessKey()).isEqualTo("ak");
    assertThat(directory.find("b").orElseThrow().objectLock()).isEqualTo(ObjectLock.COMPLIANCE);

    directory.learn(addresses(null, "governance"));
    assertThat(directory.find("a").orElseThrow().objectLock()).isEqualTo(ObjectLock.NONE);
    assertThat(directory.find("b").orElseThrow().objectLock()).isEqualTo(ObjectLock.GOVERNANCE);
  }

  @Test
  void anUnknownLockChangesNothing() {
    directory.learn(addresses("governance", null));
    directory.learn(addresses("worm", null));
    assertThat(directory.find("a").orElseThrow().objectLock()).isEqualTo(ObjectLock.GOVERNANCE);
  }
}
