package io.strata.runtime.s3;

import io.strata.runtime.ConfiguredInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The access and secret key of one pool. The secret never appears in {@link #toString()}, logs, API
 * answers or metrics; only the reference it was read from ({@code file:...} or {@code env:...}) is
 * ever shown.
 */
public record PoolCredentials(String accessKey, String secretKey) {
  public PoolCredentials {
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
  }

  @Override
  public String toString() {
    return "PoolCredentials[accessKey=" + accessKey + ", secretKey=****]";
  }

  /**
   * Reads credentials from a reference.
   *
   * <ul>
   *   <li>{@code file:PATH}: a properties file with {@code accessKey} and {@code secretKey}; a
   *       relative path is resolved against {@code baseDir}.
   *   <li>{@code env:NAME}: the environment variables {@code NAME_ACCESS_KEY} and {@code
   *       NAME_SECRET_KEY}.
   * </ul>
   *
   * @throws ConfiguredInputException saying which reference failed and why, without any secret
   */
  public static PoolCredentials resolve(String ref, Path baseDir, Map<String, String> env) {
    if (ref == null || ref.isBlank()) {
      throw new ConfiguredInputException("no credentials reference; write file:PATH or env:NAME");
    }
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      String access = env.get(name + "_ACCESS_KEY");
      String secret = env.get(name + "_SECRET_KEY");
      if (access == null || secret == null) {
        throw new ConfiguredInputException(
            "credentials " + ref + ": set " + name + "_ACCESS_KEY and " + name + "_SECRET_KEY");
      }
      return new PoolCredentials(access, secret);
    }
    if (ref.startsWith("file:")) {
      Path path = baseDir.resolve(ref.substring(5));
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(path)) {
        props.load(in);
      } catch (IOException e) {
        throw new ConfiguredInputException(
            "credentials "
                + ref
                + ": cannot read "
                + path
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
      String access = props.getProperty("accessKey");
      String secret = props.getProperty("secretKey");
      if (access == null || secret == null) {
        throw new ConfiguredInputException(
            "credentials " + ref + ": " + path + " must set accessKey and secretKey");
      }
      return new PoolCredentials(access.trim(), secret.trim());
    }
    throw new ConfiguredInputException(
        "credentials reference '" + ref + "' is neither file:PATH nor env:NAME");
  }
}
