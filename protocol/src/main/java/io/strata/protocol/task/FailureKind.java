package io.strata.protocol.task;

/** Whether retrying a failed task later can help. */
public enum FailureKind {
  /** The pool was unavailable, slow or reset a connection; the controller may re-issue the task. */
  TRANSIENT,
  /** The task cannot succeed as issued (bad credentials, missing bucket or key, refused proof). */
  PERMANENT
}
