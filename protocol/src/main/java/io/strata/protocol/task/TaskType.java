package io.strata.protocol.task;

/** The kinds of work an agent runs on one shard. */
public enum TaskType {
  /** List the shard in one pool and summarize it; reads listings only. */
  SCAN,
  /** Copy objects of the shard from the source pool to the target pool. */
  COPY,
  /** Re-read objects in one pool and check them against their stored SHA-256 (scrub). */
  VERIFY,
  /** Delete the shard's copy in one pool, allowed only with a valid {@link DeleteProof}. */
  DELETE_COPY
}
