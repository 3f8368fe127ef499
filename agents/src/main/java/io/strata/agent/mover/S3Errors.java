package io.strata.agent.mover;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.errors.XmlParserException;
import io.strata.agent.task.TaskCancelledException;
import io.strata.protocol.task.TaskFailure;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Sorts S3 client errors into transient (retry with back-off) and permanent (fail the task now).
 * Pure.
 */
final class S3Errors {

  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "InternalError",
          "ServiceUnavailable",
          "SlowDown",
          "RequestTimeout",
          "RequestTimeTooSkewed",
          "OperationAborted",
          "PreconditionFailed",
          "XMinioServerNotInitialized",
          "XMinioStorageFull");

  private S3Errors() {}

  /** Whether the error says the bucket or the object does not exist. */
  static boolean isNotFound(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof ErrorResponseException e) {
      String code = e.errorResponse().code();
      return "NoSuchKey".equals(code)
          || "NoSuchObject".equals(code)
          || ("ResourceNotFound".equals(code) || code == null) && e.response().code() == 404;
    }
    return false;
  }

  /**
   * Whether a pool refused to delete an object version because its object lock keeps it: MinIO
   * answers a single DELETE of such a version 400 InvalidRequest ("Object is WORM protected and
   * cannot be overwritten"), and 403 AccessDenied when the bypass of governance retention was asked
   * without the permission for it; AWS S3 answers 403 AccessDenied.
   */
  static boolean isObjectLocked(Throwable error) {
    if (unwrap(error) instanceof ErrorResponseException e) {
      String code = e.errorResponse().code();
      return "AccessDenied".equals(code)
          || e.response().code() == 403
          || "InvalidRequest".equals(code)
              && String.valueOf(e.errorResponse().message()).contains("WORM");
    }
    return false;
  }

  /** Whether the server refused a conditional request because the object has changed. */
  static boolean isPreconditionFailed(Throwable error) {
    Throwable t = unwrap(error);
    return t instanceof ErrorResponseException e
        && ("PreconditionFailed".equals(e.errorResponse().code()) || e.response().code() == 412);
  }

  /** Whether the error was the task's cancellation unwinding a transfer. */
  static boolean isCancellation(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TaskCancelledException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bucket an error answer is about: as the server names it, else the first segment of the
   * request's path (S3Proxy leaves the name out of some NoSuchBucket answers, MinIO names it).
   */
  static String bucketOf(ErrorResponseException e) {
    String named = e.errorResponse().bucketName();
    if (named != null && !named.isBlank()) {
      return named;
    }
    List<String> path =
        e.response() == null ? List.of() : e.response().request().url().pathSegments();
    return path.isEmpty() || path.get(0).isEmpty() ? "(unnamed)" : path.get(0);
  }

  /**
   * Classifies {@code error} raised while doing {@code what} on {@code pool}.
   *
   * @return a failure whose reason names the pool, the operation and the server's answer
   */
  static TaskFailure classify(String pool, String what, Throwable error) {
    Throwable t = unwrap(error);
    String where = what + " on pool " + pool;
    for (Throwable c = error; c != null; c = c.getCause()) {
      if (c instanceof ContentMismatchException m) {
        return new TaskFailure(m.kind(), where + ": " + m.getMessage());
      }
    }
    if (t instanceof MoverException m) {
      return m.failure();
    }
    if (t instanceof ErrorResponseException e) {
      String code = e.errorResponse().code();
      int status = e.response().code();
      String message = e.errorResponse().message();
      String text = where + " failed: HTTP " + status + " " + code + " (" + message + ")";
      return switch (code == null ? "" : code) {
        case "NoSuchBucket" ->
            TaskFailure.permanent(where + " failed: bucket " + bucketOf(e) + " does not exist");
        case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" ->
            TaskFailure.permanent(
                where + " failed: access denied (" + code + "); check the pool's keys");
        default ->
            TRANSIENT_CODES.contains(code) || status >= 500 || status == 429
                ? TaskFailure.transientFailure(text)
                : TaskFailure.permanent(text);
      };
    }
    if (t instanceof ServerException e) {
      return TaskFailure.transientFailure(where + " failed: HTTP " + e.statusCode());
    }
    if (t instanceof InvalidResponseException
        || t instanceof InsufficientDataException
        || t instanceof XmlParserException
        || t instanceof IOException) {
      return TaskFailure.transientFailure(
          where + " failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    return TaskFailure.permanent(
        where + " failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
