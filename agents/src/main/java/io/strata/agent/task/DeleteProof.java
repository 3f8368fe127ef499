package io.strata.agent.task;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The controller's statement that, at cluster-map {@code epoch}, every key listed has verified
 * copies in the given pools. A {@code DELETE_COPY} task refuses to run without one, and the agent
 * re-checks each copy by HEAD before deleting anything.
 *
 * @param epoch cluster-map epoch the copies were verified at
 * @param requiredCopies copies the current phase requires outside the pool being emptied
 * @param copies for every key, the pools holding a verified copy
 */
public record DeleteProof(long epoch, int requiredCopies, Map<String, List<VerifiedCopy>> copies) {
  public DeleteProof {
    copies =
        copies == null
            ? Map.of()
            : copies.entrySet().stream()
                .collect(
                    Collectors.toUnmodifiableMap(
                        Map.Entry::getKey, e -> List.copyOf(e.getValue())));
  }
}
