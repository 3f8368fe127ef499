package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.topology.ClusterMap;
import io.strata.topology.ObjectLock;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code objectLock} of a pool added by {@code POST /api/v1/cluster-map/pools}. */
class AddPoolObjectLockTest {
  private static final ClusterMap MAP =
      TopologyFile.parse(
          "test",
          """
          tiers: [{name: hot}]
          domains:
            - {id: r, level: region}
            - {id: rack-1, level: rack, parent: r}
          pools:
            - {id: p1, domain: rack-1, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
          """);

  private static TopologyFile.PoolEntry body(String objectLock) {
    return TopologyFile.poolEntry(
        "request body",
        "{\"id\":\"p2\",\"domain\":\"rack-1\",\"tier\":\"hot\",\"endpoint\":\"http://127.0.0.1:2\","
            + "\"capacity\":\"1GiB\",\"objectLock\":\""
            + objectLock
            + "\"}");
  }

  @Test
  void anAddedPoolKeepsItsObjectLockAndTheOthersKeepNone() {
    ClusterMap next = OperatorResource.withPools(MAP, List.of(body("compliance")));

    assertThat(next.pool("p2").orElseThrow().objectLock()).isEqualTo(ObjectLock.COMPLIANCE);
    assertThat(next.pool("p1").orElseThrow().objectLock()).isEqualTo(ObjectLock.NONE);
  }

  @Test
  void anUnknownObjectLockIsRefusedNamingThePoolAndTheField() {
    assertThatThrownBy(() -> OperatorResource.withPools(MAP, List.of(body("worm"))))
        .isInstanceOfSatisfying(
            TopologyException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "request body: pool 'p2': objectLock 'worm' is not one of none,"
                            + " governance, compliance"));
  }
}
