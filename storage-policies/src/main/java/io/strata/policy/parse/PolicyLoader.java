package io.strata.policy.parse;

import io.strata.policy.evaluate.PolicyConflict;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.validate.PolicyValidator;
import io.strata.topology.ClusterMap;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a set of policies that is meant to be applied together: parses every file, checks each
 * against the law and the cluster map, and checks the set for policies sharing a name or claiming
 * the same objects. Returns all the policies or every error, so that a controller can refuse a bad
 * set, keep the one it has and say why. Never throws on bad input.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  /** Loads policies from their texts, validated against {@code map}. */
  public static PolicyLoadResult load(List<PolicySource> sources, ClusterMap map) {
    List<PolicyError> errors = new ArrayList<>();
    List<StoragePolicy> policies = new ArrayList<>();
    for (PolicySource source : sources) {
      PolicyLoadResult parsed = PolicyParser.parse(source);
      errors.addAll(parsed.errors());
      for (StoragePolicy p : parsed.policies()) {
        errors.addAll(PolicyValidator.problems(p, map));
        policies.add(p);
      }
    }
    errors.addAll(setProblems(policies));
    return new PolicyLoadResult(policies, errors);
  }

  /**
   * Policy texts, and the files that could not be read as such.
   *
   * @param sources the texts read
   * @param unreadable an error for each file that cannot be read or is not UTF-8 text
   */
  public record Read(List<PolicySource> sources, List<PolicyError> unreadable) {}

  /** Reads policy files as texts; a file that cannot be read is an error, as a bad policy is. */
  public static Read readFiles(List<Path> files) {
    List<PolicySource> sources = new ArrayList<>();
    List<PolicyError> unreadable = new ArrayList<>();
    for (Path file : files) {
      try {
        byte[] bytes = Files.readAllBytes(file);
        String text =
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        sources.add(new PolicySource(file.toString(), text));
      } catch (CharacterCodingException e) {
        unreadable.add(new PolicyError(file.toString(), 1, 1, "", "is not UTF-8 text"));
      } catch (IOException e) {
        unreadable.add(
            new PolicyError(
                file.toString(), 1, 1, "", "cannot be read: " + e.getClass().getSimpleName()));
      }
    }
    return new Read(sources, unreadable);
  }

  /** Loads what {@link #readFiles} read: every file that could not be read is an error too. */
  public static PolicyLoadResult load(Read read, ClusterMap map) {
    PolicyLoadResult loaded = load(read.sources(), map);
    if (read.unreadable().isEmpty()) {
      return loaded;
    }
    List<PolicyError> errors = new ArrayList<>(read.unreadable());
    errors.addAll(loaded.errors());
    return PolicyLoadResult.failed(errors);
  }

  /** Reads and loads policy files; a file that cannot be read is reported like any other error. */
  public static PolicyLoadResult loadFiles(List<Path> files, ClusterMap map) {
    return load(readFiles(files), map);
  }

  private static List<PolicyError> setProblems(List<StoragePolicy> policies) {
    List<PolicyError> errors = new ArrayList<>();
    Map<String, StoragePolicy> byName = new HashMap<>();
    for (StoragePolicy p : policies) {
      StoragePolicy first = byName.putIfAbsent(p.name(), p);
      if (first != null) {
        errors.add(
            PolicyError.at(
                p.position("policy"),
                "policy",
                "the name '"
                    + p.name()
                    + "' is already used by "
                    + first.position("policy")
                    + "; names must be unique"));
      }
    }
    for (PolicyConflict c : PolicySet.of(policies).conflicts()) {
      errors.add(PolicyError.at(c.second().position("datasets"), "datasets", c.describe()));
    }
    errors.addAll(encryptionDisagreements(policies));
    return errors;
  }

  /**
   * Policies that claim a dataset in common and ask it different server-side encryption: copies are
   * written per dataset, so which one the copies would get could not be told from the files.
   */
  private static List<PolicyError> encryptionDisagreements(List<StoragePolicy> policies) {
    List<PolicyError> errors = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      for (int j = i + 1; j < policies.size(); j++) {
        StoragePolicy a = policies.get(i);
        StoragePolicy b = policies.get(j);
        boolean shared =
            a.datasets().stream().anyMatch(pa -> b.datasets().stream().anyMatch(pa::overlaps));
        if (shared
            && a.encryption() != null
            && b.encryption() != null
            && !a.encryption().equals(b.encryption())) {
          errors.add(
              PolicyError.at(
                  b.position("encryption"),
                  "encryption",
                  "asks "
                      + b.encryption()
                      + " of copies of datasets that policy '"
                      + a.name()
                      + "' ("
                      + a.position("encryption")
                      + ") asks "
                      + a.encryption()
                      + " of; policies that claim the same datasets must ask the same"
                      + " encryption"));
        }
      }
    }
    return errors;
  }
}
