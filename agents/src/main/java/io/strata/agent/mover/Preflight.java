package io.strata.agent.mover;

/**
 * A one-key listing of the dataset before a task starts, so that a missing bucket or wrong
 * credentials fail the task once, with one clear reason, instead of once per key.
 */
final class Preflight {

  private Preflight() {}

  static void check(Retrier retrier, PoolClient pool, String bucket, TaskContext context) {
    retrier.call(
        pool.poolId(),
        "LIST " + bucket,
        context.cancellation(),
        () -> pool.listPage(bucket, "", null, 1));
  }
}
