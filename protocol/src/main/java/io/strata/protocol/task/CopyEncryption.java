package io.strata.protocol.task;

import java.util.Objects;

/**
 * The server-side encryption a copy task asks of the pool it writes, and that its read-back
 * requires the pool to report. A key is named by reference (a KMS key id or alias), never given.
 *
 * @param type {@value #SSE_S3} (keys the server manages) or {@value #SSE_KMS} (a key of the
 *     server's key service)
 * @param keyId for {@value #SSE_KMS}: the key's id, alias or ARN; null for the server's default
 */
public record CopyEncryption(String type, String keyId) {
  public static final String SSE_S3 = "sse-s3";
  public static final String SSE_KMS = "sse-kms";

  public CopyEncryption {
    Objects.requireNonNull(type, "type");
    if (!type.equals(SSE_S3) && !type.equals(SSE_KMS)) {
      throw new IllegalArgumentException("encryption type '" + type + "' is not sse-s3 or sse-kms");
    }
  }

  /** Whether the key service is asked (as opposed to keys the server manages). */
  public boolean kms() {
    return type.equals(SSE_KMS);
  }

  @Override
  public String toString() {
    return keyId == null ? type : type + " with key " + keyId;
  }
}
