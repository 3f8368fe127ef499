package io.strata.protocol.task;

import java.util.Objects;

/**
 * Why a task (or one key of it) failed, in words an operator can act on. Never carries credentials.
 *
 * @param kind whether a retry may help
 * @param reason what was wrong, where, and what is expected
 */
public record TaskFailure(FailureKind kind, String reason) {
  public TaskFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  public static TaskFailure permanent(String reason) {
    return new TaskFailure(FailureKind.PERMANENT, reason);
  }

  public static TaskFailure transientFailure(String reason) {
    return new TaskFailure(FailureKind.TRANSIENT, reason);
  }
}
