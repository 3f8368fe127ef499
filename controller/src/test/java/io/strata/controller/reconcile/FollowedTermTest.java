package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.reconcile.FollowedTerm.Step;
import io.strata.controller.zookeeper.Leadership.Term;
import org.junit.jupiter.api.Test;

class FollowedTermTest {
  private final FollowedTerm followed = new FollowedTerm();

  @Test
  void aTermWonAgainBetweenTwoRoundsIsLoadedAfreshThoughTheReplicaLedBoth() {
    Term first = new Term(2, 1);
    assertThat(followed.next(first)).isEqualTo(Step.LOAD);
    followed.loaded(first);
    assertThat(followed.next(first)).isEqualTo(Step.STAY);

    // Paused past its session, deposed (epoch 3 went to another replica), elected again: the
    // rounds before and after both see it lead, but its queue is epoch 2's.
    Term again = new Term(4, 3);
    assertThat(followed.isCurrent(again)).as("heartbeats wait for the reload").isFalse();
    assertThat(followed.next(again)).isEqualTo(Step.LOAD);
    followed.loaded(again);
    assertThat(followed.isCurrent(again)).isTrue();
  }

  @Test
  void aReplicaThatNoLongerLeadsDropsItsStateOnce() {
    followed.loaded(new Term(1, 0));

    assertThat(followed.next(null)).isEqualTo(Step.IDLE);
    followed.loaded(null);
    assertThat(followed.next(null)).isEqualTo(Step.STAY);
    assertThat(followed.isCurrent(null)).isFalse();
  }

  @Test
  void aFollowerThatNeverLedStaysIdle() {
    assertThat(followed.next(null)).isEqualTo(Step.STAY);
  }
}
