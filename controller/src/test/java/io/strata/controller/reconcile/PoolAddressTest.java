package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.heartbeat.PoolAddress;
import io.strata.topology.DomainState;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import org.junit.jupiter.api.Test;

/** What an agent is told of a pool its tasks name. */
class PoolAddressTest {

  private static Pool pool(ObjectLock lock) {
    return new Pool(
        "p1", "rack-1", "hot", "http://10.0.0.1:9000", 1L << 40, "env:P1", DomainState.UP, 1, lock);
  }

  @Test
  void aPoolThatLocksItsCopiesSaysHowAndOneThatLocksNothingSaysNothing() {
    assertThat(Dispatcher.address(pool(ObjectLock.GOVERNANCE)))
        .isEqualTo(new PoolAddress("http://10.0.0.1:9000", "env:P1", "governance"));
    assertThat(Dispatcher.address(pool(ObjectLock.COMPLIANCE)).objectLock())
        .isEqualTo("compliance");
    assertThat(Dispatcher.address(pool(ObjectLock.NONE)))
        .isEqualTo(new PoolAddress("http://10.0.0.1:9000", "env:P1"));
  }
}
