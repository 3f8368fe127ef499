package io.strata.agent.mover;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.minio.ServerSideEncryption;
import io.minio.ServerSideEncryptionKms;
import io.minio.ServerSideEncryptionS3;
import io.strata.protocol.task.CopyEncryption;
import io.strata.protocol.task.TaskFailure;
import java.util.Locale;
import java.util.Optional;
import okhttp3.Headers;

/**
 * The server-side encryption a copy task asks of its target: the headers its writes send (built by
 * the client library) and the check of what the target reports on a HEAD of the copy. Immutable.
 */
final class SseRequest {
  static final String SSE = "x-amz-server-side-encryption";
  static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";

  private final CopyEncryption asked;
  private final ServerSideEncryption sse;

  private SseRequest(CopyEncryption asked, ServerSideEncryption sse) {
    this.asked = asked;
    this.sse = sse;
  }

  /** The request for {@code asked}; null when the task asks none. */
  static SseRequest of(CopyEncryption asked) {
    if (asked == null) {
      return null;
    }
    if (!asked.kms()) {
      return new SseRequest(asked, new ServerSideEncryptionS3());
    }
    try {
      return new SseRequest(asked, new ServerSideEncryptionKms(asked.keyId(), null));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // Only a key context is written as JSON, and none is given; a null key id is refused.
      throw new MoverException(
          TaskFailure.permanent(
              "the copy asks " + asked + ", which cannot be sent: " + e.getMessage()));
    }
  }

  /** The client library's form, for its writes. */
  ServerSideEncryption sse() {
    return sse;
  }

  CopyEncryption asked() {
    return asked;
  }

  /**
   * Whether the request may only go over TLS: a KMS request names a key, and the client library
   * refuses to send one over plain HTTP.
   */
  boolean tlsRequired() {
    return sse.tlsRequired();
  }

  /**
   * Why a stored copy whose HEAD answered {@code headers} does not show the encryption asked; empty
   * when it does. SSE-S3 is met by any encryption the server reports (KMS encrypts too); SSE-KMS
   * needs {@code aws:kms} and, when the server names the key and the policy did not give an alias
   * (which servers answer with the key's ARN), that key.
   */
  Optional<String> problem(Headers headers) {
    String reported = headers.get(SSE);
    if (reported == null || reported.isBlank()) {
      return Optional.of("the server reported no server-side encryption");
    }
    if (!asked.kms()) {
      return Optional.empty();
    }
    if (!reported.toLowerCase(Locale.ROOT).startsWith("aws:kms")) {
      return Optional.of("the server reported " + reported + ", not aws:kms");
    }
    String key = headers.get(KMS_KEY_ID);
    if (key == null || asked.keyId().startsWith("alias/") || sameKey(key, asked.keyId())) {
      return Optional.empty();
    }
    return Optional.of("the server reported key " + key + ", not " + asked.keyId());
  }

  /** A key as a server names it (an id or an ARN ending in {@code key/ID}) against the asked. */
  private static boolean sameKey(String reported, String asked) {
    return reported.equals(asked)
        || reported.endsWith("/" + asked)
        || reported.endsWith(":" + asked)
        || asked.endsWith("/" + reported)
        || asked.endsWith(":" + reported);
  }
}
