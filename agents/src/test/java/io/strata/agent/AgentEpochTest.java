package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.mover.TaskContext;
import io.strata.runtime.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch an agent's tasks see: the controller's while it answers, none once its lease lapsed.
 */
class AgentEpochTest {
  static final long LEASE_SECONDS = 30;

  @TempDir Path dir;
  StandInController controller;
  final AtomicBoolean answering = new AtomicBoolean(true);
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));
  TaskRunner runner;
  Agent agent;

  @BeforeEach
  void start() throws Exception {
    controller =
        new StandInController(
            exchange ->
                StandInController.answer(
                    exchange,
                    answering.get() ? 200 : 503,
                    (answering.get()
                            ? "{\"leaseSeconds\":" + LEASE_SECONDS + ",\"mapEpoch\":7}"
                            : "{\"code\":503,\"message\":\"ZooKeeper is unreachable\"}")
                        .getBytes(StandardCharsets.UTF_8)));
    agent = controller.agent(dir, clock, List.of());
    runner = controller.runner();
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void anAgentHoldsTheControllersEpochUntilItsLeaseLapsesWithoutAnAnswer() {
    assertThat(runner.epoch()).as("before any answer").isEqualTo(TaskContext.NO_EPOCH);

    agent.heartbeatOnce();
    assertThat(runner.epoch()).isEqualTo(7);

    answering.set(false);
    clock.advance(Duration.ofSeconds(LEASE_SECONDS - 1));
    agent.heartbeatOnce();
    assertThat(runner.epoch()).as("failed heartbeat within the lease").isEqualTo(7);

    clock.advance(Duration.ofSeconds(2));
    agent.heartbeatOnce();
    assertThat(runner.epoch()).as("no answer for the whole lease").isEqualTo(TaskContext.NO_EPOCH);

    answering.set(true);
    agent.heartbeatOnce();
    assertThat(runner.epoch()).as("heard again").isEqualTo(7);
  }
}
