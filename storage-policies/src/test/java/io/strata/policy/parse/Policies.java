package io.strata.policy.parse;

import io.strata.policy.model.StoragePolicy;
import java.util.List;

/** Small policy texts for tests: a valid base, and ways to break it. */
final class Policies {
  /** A valid policy; line numbers matter to the tests. */
  static final String BASE =
      """
      policy: test-imaging
      datasets: ["*-imaging"]
      recordClass: inpatient
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
      retention:
        minimum: 30y
      """;

  private Policies() {}

  /** The base with {@code extra} appended from line 9 on. */
  static String plus(String extra) {
    return BASE + extra;
  }

  /** The base with one text replaced, which must occur in it. */
  static String replacing(String old, String replacement) {
    if (!BASE.contains(old)) {
      throw new IllegalArgumentException(old + " is not in the base policy");
    }
    return BASE.replace(old, replacement);
  }

  static PolicyLoadResult parse(String text) {
    return PolicyParser.parse(new PolicySource("t.yaml", text));
  }

  static StoragePolicy valid(String text) {
    return parse(text).orThrow().get(0);
  }

  static List<String> errors(String text) {
    return parse(text).errors().stream().map(PolicyError::toString).toList();
  }
}
