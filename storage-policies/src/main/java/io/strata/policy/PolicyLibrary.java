package io.strata.policy;

import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The policies that ship with Strata for the data of health and medical big-data centers. Their
 * files live in {@code storage-policies/policies/} and, in the jar, under {@link #RESOURCE_DIR}.
 */
public final class PolicyLibrary {
  /** The classpath folder holding the bundled policy files. */
  public static final String RESOURCE_DIR = "/io/strata/policy/library/";

  /**
   * The bundled policies by file name without {@code .yaml}; a test keeps it equal to the folder.
   */
  public static final List<String> NAMES =
      List.of(
          "imaging-archive",
          "inpatient-records",
          "outpatient-records",
          "genomics",
          "audit-trail",
          "strata-system");

  private PolicyLibrary() {}

  /** The text of a bundled policy file; empty when there is none of that name. */
  public static Optional<PolicySource> source(String name) {
    if (!NAMES.contains(name)) {
      return Optional.empty();
    }
    String resource = RESOURCE_DIR + name + ".yaml";
    try (InputStream in = PolicyLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return Optional.of(
          new PolicySource(name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every bundled policy file. */
  public static List<PolicySource> sources() {
    return NAMES.stream().map(n -> source(n).orElseThrow()).toList();
  }

  /** The bundled policies, validated against {@code map}. */
  public static PolicyLoadResult load(ClusterMap map) {
    return PolicyLoader.load(sources(), map);
  }
}
