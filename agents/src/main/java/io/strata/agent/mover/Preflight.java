package io.strata.agent.mover;

/**
 * A one-key listing of the dataset before a task that reads or deletes named keys one by one, so
 * that a missing bucket or wrong credentials fail the task once, with one clear reason, instead of
 * once per key. Tasks whose first request is a listing need none: that listing fails them as
 * clearly.
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
