package io.strata.agent.mover;

import io.strata.protocol.task.FailureKind;
import java.io.IOException;

/**
 * Raised by {@link HashingInputStream} before it hands out the last byte of content that does not
 * match the expected size or SHA-256, so that the upload carrying it fails and never completes.
 */
final class ContentMismatchException extends IOException {

  private final FailureKind kind;

  ContentMismatchException(String message, FailureKind kind) {
    super(message);
    this.kind = kind;
  }

  ContentMismatchException(String message, FailureKind kind, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  FailureKind kind() {
    return kind;
  }
}
