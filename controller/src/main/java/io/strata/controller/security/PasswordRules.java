package io.strata.controller.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new password must be, wherever one is set ({@code strata security hash-password}, the user
 * API): at least {@value #MIN_LENGTH} characters, at most {@value #MAX_BYTES} bytes in UTF-8
 * (bcrypt reads no further), characters of at least {@value #MIN_CLASSES} of the four classes
 * (lower case, upper case, digits, others), and not containing the user's name. Pure.
 */
public final class PasswordRules {
  public static final int MIN_LENGTH = 12;
  public static final int MAX_BYTES = 71;
  public static final int MIN_CLASSES = 3;

  private PasswordRules() {}

  /** Every rule {@code password} breaks for {@code user}; empty when it may be used. */
  public static List<String> problems(String user, String password) {
    List<String> problems = new ArrayList<>();
    if (password == null || password.length() < MIN_LENGTH) {
      problems.add("a password needs at least " + MIN_LENGTH + " characters");
      if (password == null) {
        return problems;
      }
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      problems.add("a password may have at most " + MAX_BYTES + " bytes in UTF-8");
    }
    if (classes(password) < MIN_CLASSES) {
      problems.add(
          "a password needs characters of at least "
              + MIN_CLASSES
              + " of: lower case, upper case, digits, others");
    }
    if (user != null
        && !user.isBlank()
        && password.toLowerCase(Locale.ROOT).contains(user.toLowerCase(Locale.ROOT))) {
      problems.add("a password must not contain the user's name");
    }
    return problems;
  }

  private static int classes(String password) {
    boolean lower = false;
    boolean upper = false;
    boolean digit = false;
    boolean other = false;
    for (int i = 0; i < password.length(); ) {
      int c = password.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLowerCase(c)) {
        lower = true;
      } else if (Character.isUpperCase(c)) {
        upper = true;
      } else if (Character.isDigit(c)) {
        digit = true;
      } else {
        other = true;
      }
    }
    return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
  }
}
