package io.strata.policy.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-side encryption a policy asks of the pools for every copy Strata writes of its objects.
 * The key is a reference the pool's key service resolves (a KMS key id or alias), never key
 * material: a policy file holds no secret.
 *
 * @param type how the pool encrypts
 * @param keyId the KMS key's id, alias or ARN for {@link Type#SSE_KMS}; always null for {@link
 *     Type#SSE_S3}
 */
public record Encryption(Type type, String keyId) {

  /** How a pool is asked to encrypt. */
  public enum Type {
    /** Keys the server manages ({@code x-amz-server-side-encryption: AES256}). */
    SSE_S3("sse-s3"),
    /** A key of the server's key service ({@code aws:kms}), named by its id. */
    SSE_KMS("sse-kms");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /** As written in a policy file and on the wire. */
    public String label() {
      return label;
    }

    /** The type written {@code text}, ignoring case. */
    public static Optional<Type> parse(String text) {
      String lower = text.trim().toLowerCase(Locale.ROOT);
      for (Type t : values()) {
        if (t.label.equals(lower)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  public Encryption {
    Objects.requireNonNull(type, "type");
    if (type == Type.SSE_S3 && keyId != null) {
      throw new IllegalArgumentException("sse-s3 takes no key id");
    }
    if (type == Type.SSE_KMS && keyId == null) {
      throw new IllegalArgumentException("sse-kms needs a key id");
    }
  }

  @Override
  public String toString() {
    return keyId == null ? type.label : type.label + " with key " + keyId;
  }
}
