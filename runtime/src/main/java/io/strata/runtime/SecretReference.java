package io.strata.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a secret (a bearer token, a password) from a reference, so that configuration files name
 * where a secret is and never hold it:
 *
 * <ul>
 *   <li>{@code file:PATH}: the file's first line that is neither blank nor a {@code #} comment; a
 *       relative path resolves against the given base directory. Keep the file mode 600.
 *   <li>{@code env:NAME}: the environment variable {@code NAME}.
 * </ul>
 *
 * Error messages name the reference, never the secret.
 */
public final class SecretReference {
  private SecretReference() {}

  /**
   * @throws ConfiguredInputException naming the reference and what is wrong with it
   */
  public static String read(String ref, Path baseDir, Map<String, String> env) {
    if (ref == null || ref.isBlank()) {
      throw new ConfiguredInputException("no secret reference; write file:PATH or env:NAME");
    }
    if (ref.startsWith("env:")) {
      String value = env.get(ref.substring(4));
      if (value == null || value.isBlank()) {
        throw new ConfiguredInputException(ref + ": the environment variable is not set");
      }
      return value.trim();
    }
    if (ref.startsWith("file:")) {
      Path path = baseDir.resolve(ref.substring(5));
      try {
        return Files.readAllLines(path, StandardCharsets.UTF_8).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .findFirst()
            .orElseThrow(() -> new ConfiguredInputException(ref + ": " + path + " is empty"));
      } catch (IOException e) {
        throw new ConfiguredInputException(
            ref + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    throw new ConfiguredInputException(
        "secret reference '" + ref + "' is neither file:PATH nor env:NAME");
  }
}
