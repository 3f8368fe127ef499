package io.strata.policy.evaluate;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a pool listing and a HEAD request tell about an object, and all a policy looks at.
 *
 * @param key the object key
 * @param size bytes
 * @param lastModified the S3 LastModified time
 * @param metadata user metadata (without the {@code x-amz-meta-} prefix)
 */
public record StoredObject(
    String key, long size, Instant lastModified, Map<String, String> metadata) {
  public StoredObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
