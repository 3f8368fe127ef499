package io.strata.policy.evaluate;

import io.strata.policy.model.DatasetPattern;
import io.strata.policy.model.StoragePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policies in force, and which governs what. Immutable and safe to share between threads.
 *
 * <p>Lookups are linear in the number of policies (tens in practice); callers that evaluate many
 * objects of one dataset should call {@link #claiming} once and keep the result.
 */
public final class PolicySet {
  private final List<StoragePolicy> policies;

  private PolicySet(List<StoragePolicy> policies) {
    this.policies = List.copyOf(policies);
  }

  /** A set of policies, in load order. Conflicts are allowed here; see {@link #conflicts()}. */
  public static PolicySet of(List<StoragePolicy> policies) {
    return new PolicySet(policies);
  }

  public List<StoragePolicy> policies() {
    return policies;
  }

  /** The policy with this name. */
  public Optional<StoragePolicy> named(String name) {
    return policies.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The policies whose dataset patterns match the dataset, in load order. */
  public List<StoragePolicy> claiming(String dataset) {
    return policies.stream().filter(p -> p.claims(dataset)).toList();
  }

  /** The policies that govern an object of a dataset, by its key and metadata. */
  public PolicyMatch governing(String dataset, String key, Map<String, String> metadata) {
    return new PolicyMatch(
        claiming(dataset).stream().filter(p -> p.selector().matches(key, metadata)).toList());
  }

  /**
   * Every pair of policies that could govern the same object, and policies sharing a name. A set
   * with conflicts must not be applied.
   */
  public List<PolicyConflict> conflicts() {
    List<PolicyConflict> out = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      for (int j = i + 1; j < policies.size(); j++) {
        StoragePolicy a = policies.get(i);
        StoragePolicy b = policies.get(j);
        overlap(a, b)
            .filter(d -> a.selector().overlaps(b.selector()))
            .ifPresent(d -> out.add(new PolicyConflict(a, b, d)));
      }
    }
    return out;
  }

  private static Optional<String> overlap(StoragePolicy a, StoragePolicy b) {
    for (DatasetPattern pa : a.datasets()) {
      for (DatasetPattern pb : b.datasets()) {
        if (pa.overlaps(pb)) {
          return Optional.of(pa.equals(pb) ? pa.glob() : pa + " and " + pb);
        }
      }
    }
    return Optional.empty();
  }
}
