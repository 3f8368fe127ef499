package io.strata.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos soak, short: the whole fleet as separate processes (a ZooKeeper ensemble of three, a
 * pool process per pool, three controllers, an agent per pool), every kind of fault once, then the
 * verdict. Nothing may be lost or deleted early, every object where its phase requires within the
 * bound, the audit chains whole, no port left bound. No figure of time is checked: the bound only
 * ends the wait.
 */
class SoakIT {
  @TempDir Path dir;

  @Test
  void nothingIsLostDeletedEarlyOrWrittenByADeposedLeaderUnderEveryKindOfFault() throws Exception {
    Soak.Options options =
        new Soak.Options(Duration.ofSeconds(75), 300, 24, Faults.Kind.values().length, dir);

    Soak.Verdict verdict = new Soak(options, System.out).run();

    System.out.println(verdict.line());
    assertThat(verdict.injected())
        .as("every kind of fault happened")
        .containsExactlyInAnyOrder(Faults.Kind.values());
    assertThat(verdict.objects()).isGreaterThanOrEqualTo(options.objects() * 9 / 10);
    assertThat(verdict.crossedPhases()).as("studies crossing a phase during the run").isPositive();
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.corruptCopies()).isZero();
    assertThat(verdict.earlyDeletes()).isZero();
    assertThat(verdict.deletions()).as("copies deleted, each checked").isPositive();
    assertThat(verdict.deposedWrites()).as("leader-only writes from a deposed leader").isZero();
    assertThat(verdict.leaderTerms()).as("the leader killed and paused").isGreaterThanOrEqualTo(3);
    assertThat(verdict.converged())
        .as("every object where its phase requires: %s", verdict.misplaced())
        .isTrue();
    assertThat(verdict.auditVerified()).as(verdict.auditReport()).isTrue();
    assertThat(verdict.portsLeftBound()).as("ports bound after every process ended").isZero();
  }
}
