package io.strata.controller.reconcile;

import io.strata.controller.zookeeper.Leadership;

/**
 * The term of leadership the reconciler's state (task queue, scrubs, views) was loaded for. A
 * replica can lose the lead and win it again between two rounds, or while a round runs: a leader
 * paused past its ZooKeeper session, woken, deposed and elected again within a second. Its state is
 * then another leader's, since the one in between ran and removed tasks; so a new term loads
 * afresh, whatever the replica's role in the previous round. Comparing "leads now" with "led last
 * round" would miss that term and keep answering from a queue whose tasks are gone.
 *
 * <p>Thread-safe: the round's thread changes it; heartbeats read it.
 */
final class FollowedTerm {
  /** What the round must do about leadership. */
  enum Step {
    /** Nothing: the same term as loaded, or still not leading. */
    STAY,
    /** Load the state of the term: the replica leads in a term it has not loaded. */
    LOAD,
    /** Drop the state: the replica no longer leads. */
    IDLE
  }

  private volatile Leadership.Term loaded;

  /** The step for the term the replica holds now (null: it does not lead). */
  Step next(Leadership.Term now) {
    if (now != null) {
      return now.equals(loaded) ? Step.STAY : Step.LOAD;
    }
    return loaded != null ? Step.IDLE : Step.STAY;
  }

  /** The state is loaded for {@code term}; null once it is dropped. */
  void loaded(Leadership.Term term) {
    loaded = term;
  }

  /** Whether the state is the one of the term the replica holds now. */
  boolean isCurrent(Leadership.Term now) {
    return now != null && now.equals(loaded);
  }
}
