package io.strata.agent.dicom;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet's key for hashing patient identifiers: HMAC-SHA256 of the PatientID's bytes, cut to 128
 * bits and written as hex. Every agent holds the same key, so one patient has one hash across the
 * fleet and a recall can name a patient's studies by it; without the key the hash cannot be turned
 * back into an identifier by trying the identifiers a hospital issues (a plain hash could). The key
 * is never logged, exported or sent to the controller. Thread-safe.
 */
public final class PatientIdKey {

  /** Fewest bytes a key may have: 128 bits. */
  public static final int MIN_BYTES = 16;

  private final SecretKeySpec key;

  /** One initialised MAC per thread: getting and keying one costs more than hashing an ID. */
  private final ThreadLocal<Mac> macs;

  private PatientIdKey(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /**
   * A key from its text, as a secret reference reads it (a file or an environment variable);
   * surrounding white space is not part of it.
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_BYTES} bytes (the message
   *     does not show it)
   */
  public static PatientIdKey of(String secret) {
    byte[] bytes = secret.strip().getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the patient-id key has "
              + bytes.length
              + " bytes; it needs at least "
              + MIN_BYTES
              + " (e.g. 32 random bytes as hex: openssl rand -hex 32)");
    }
    return new PatientIdKey(bytes);
  }

  /** The keyed hash of a PatientID's bytes: 32 lowercase hex digits. */
  public String hash(byte[] patientId) {
    byte[] digest = macs.get().doFinal(patientId); // doFinal leaves the MAC ready for the next
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  @Override
  public String toString() {
    return "PatientIdKey[hidden]";
  }
}
