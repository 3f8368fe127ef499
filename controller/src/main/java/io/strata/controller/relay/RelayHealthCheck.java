package io.strata.controller.relay;

import com.codahale.metrics.health.HealthCheck;

/** Unhealthy while the last batch a follower relayed got no answer from the leader, and why. */
public final class RelayHealthCheck extends HealthCheck {
  private final HeartbeatRelay relay;

  public RelayHealthCheck(HeartbeatRelay relay) {
    this.relay = relay;
  }

  @Override
  protected Result check() {
    return relay.healthy()
        ? Result.healthy()
        : Result.unhealthy("the leader did not answer: " + relay.lastError());
  }
}
