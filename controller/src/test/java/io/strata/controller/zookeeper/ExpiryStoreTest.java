package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpiryStoreTest {
  @Test
  void aShardsCoveredObjectsAreCountedOnceWhicheverLeaderPlansItAgain() throws Exception {
    try (TestZooKeeper zookeeper = new TestZooKeeper()) {
      ExpiryStore leader = new ExpiryStore(zookeeper.client(), Jackson.newObjectMapper());
      assertThat(leader.countCovered("expiry-1", "ds:0", 3)).isTrue();
      assertThat(leader.countCovered("expiry-1", "ds:1", 5)).isTrue();
      assertThat(leader.countCovered("expiry-1", "ds:0", 1))
          .as("planned again after a deletion")
          .isFalse();

      ExpiryStore next = new ExpiryStore(zookeeper.client(), Jackson.newObjectMapper());
      assertThat(next.countCovered("expiry-1", "ds:1", 2)).as("a new leader").isFalse();
      assertThat(next.covered("expiry-1")).isEqualTo(Map.of("ds:0", 3L, "ds:1", 5L));
      assertThat(next.covered("expiry-2")).isEmpty();
    }
  }

  @Test
  void anExpiryDoneLeavesNoCountsBehindAndItsTallyStillReads() throws Exception {
    try (TestZooKeeper zookeeper = new TestZooKeeper()) {
      ExpiryStore store = new ExpiryStore(zookeeper.client(), Jackson.newObjectMapper());
      store.countCovered("expiry-1", "ds:0", 3);
      store.count("expiry-1", "p1", 3, 300);
      assertThat(store.tally("expiry-1").copies()).isEqualTo(3);

      store.done("expiry-1");

      assertThat(store.covered("expiry-1")).isEmpty();
      assertThat(store.tally("expiry-1")).isEqualTo(ExpiryStore.Tally.NONE);
    }
  }

  @Test
  void aHeartbeatsDeletionsAreAddedPerPoolInOneWrite() throws Exception {
    try (TestZooKeeper zookeeper = new TestZooKeeper()) {
      ExpiryStore store = new ExpiryStore(zookeeper.client(), Jackson.newObjectMapper());
      store.count("expiry-1", "p1", 1, 100);
      store.count("expiry-1", Map.of("p1", new long[] {2, 200}, "p2", new long[] {4, 400}));
      store.count("expiry-1", Map.of("p2", new long[] {0, 0})); // Nothing deleted: nothing written.

      ExpiryStore.Tally tally = store.tally("expiry-1");
      assertThat(tally.copies()).isEqualTo(7);
      assertThat(tally.bytes()).isEqualTo(700);
      assertThat(tally.byPool().get("p1")).containsExactly(3, 300);
      assertThat(tally.byPool().get("p2")).containsExactly(4, 400);
    }
  }
}
