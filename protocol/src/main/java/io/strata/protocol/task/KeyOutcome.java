package io.strata.protocol.task;

/**
 * The result of a task for one key.
 *
 * @param key object key
 * @param status what happened
 * @param size object size in bytes, or -1 when unknown
 * @param sha256 SHA-256 of the content when known, else null
 * @param detail a sentence explaining refusals, mismatches and failures; null otherwise
 */
public record KeyOutcome(String key, KeyStatus status, long size, String sha256, String detail) {

  public static KeyOutcome of(String key, KeyStatus status, long size, String sha256) {
    return new KeyOutcome(key, status, size, sha256, null);
  }

  public static KeyOutcome because(String key, KeyStatus status, String detail) {
    return new KeyOutcome(key, status, -1, null, detail);
  }
}
