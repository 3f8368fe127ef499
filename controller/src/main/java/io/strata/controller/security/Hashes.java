package io.strata.controller.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The hashes Strata stores instead of secrets: bcrypt for passwords (slow, salted: they have little
 * entropy), SHA-256 for bearer tokens (fast is fine: a token carries 256 random bits). Thread-safe.
 */
public final class Hashes {
  /** bcrypt cost; 2^12 rounds take about a quarter of a second on one core. */
  public static final int BCRYPT_COST = 12;

  private static final SecureRandom RANDOM = new SecureRandom();

  // Checked against when the user is unknown, so that an unknown name costs as much time as a
  // wrong password and user names cannot be probed by timing.
  private static final String DUMMY_HASH =
      BCrypt.withDefaults().hashToString(4, "not a password".toCharArray());

  private Hashes() {}

  /** A bcrypt hash ({@code $2a$12$...}) of {@code password}. */
  public static String bcrypt(String password) {
    return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
  }

  /** True when {@code password} matches {@code hash}; a null hash burns the same time and fails. */
  public static boolean bcryptMatches(String password, String hash) {
    String against = hash == null ? DUMMY_HASH : hash;
    boolean ok = BCrypt.verifyer().verify(password.toCharArray(), against).verified;
    return ok && hash != null;
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Compares two strings in time independent of where they differ. */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** 32 random bytes as URL-safe text: a bearer token, a session id, a CSRF token. */
  public static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
