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
 * @param expiry for the destruction of data past its policy's expiry, the approved expiry that
 *     destroys it: no copy need remain ({@code requiredCopies} is 0) and {@code copies} names, for
 *     every key, the copy being deleted as the plan saw it (its SHA-256 marker, or the marker of
 *     the object's other copies when it carries none, or {@link #UNMARKED}), so that an object
 *     rewritten since is kept; null for every other deletion, which always leaves verified copies
 *     elsewhere
 */
public record DeleteProof(
    long epoch, int requiredCopies, Map<String, List<VerifiedCopy>> copies, String expiry) {
  public DeleteProof {
    Map<String, List<VerifiedCopy>> sorted = new TreeMap<>();
    if (copies != null) {
      copies.forEach((key, verified) -> sorted.put(key, List.copyOf(verified)));
    }
    copies = Collections.unmodifiableMap(sorted);
  }

  /**
   * In an expiry's proof, the SHA-256 of a copy when no copy of the object carries a marker (a
   * hospital's upload never copied by Strata): the agent can then compare only its size.
   */
  public static final String UNMARKED = "unmarked";

  /** A proof that copies remain elsewhere. */
  public DeleteProof(long epoch, int requiredCopies, Map<String, List<VerifiedCopy>> copies) {
    this(epoch, requiredCopies, copies, null);
  }
}
