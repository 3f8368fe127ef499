package io.strata.protocol.task;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The controller's statement that, at cluster-map {@code epoch}, every key listed has verified
 * copies in the given pools. A {@code DELETE_COPY} task refuses to run without one, and the agent
 * re-checks each copy by HEAD before deleting anything.
 *
 * @param epoch cluster-map epoch the copies were verified at
 * @param requiredCopies copies the current phase requires outside the pool being emptied
 * @param copies for every key, the pools holding a verified copy; in key order, so that the same
 *     proof reads (and the task id derived from it hashes) the same in every JVM
 */
public record DeleteProof(long epoch, int requiredCopies, Map<String, List<VerifiedCopy>> copies) {
  public DeleteProof {
    Map<String, List<VerifiedCopy>> sorted = new TreeMap<>();
    if (copies != null) {
      copies.forEach((key, verified) -> sorted.put(key, List.copyOf(verified)));
    }
    copies = Collections.unmodifiableMap(sorted);
  }
}
