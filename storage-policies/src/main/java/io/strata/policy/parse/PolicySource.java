package io.strata.policy.parse;

import java.util.Objects;

/**
 * The text of one policy file and the name to report it under.
 *
 * @param file a path or resource name, used only in messages and positions
 * @param text the YAML
 */
public record PolicySource(String file, String text) {
  public PolicySource {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
  }
}
