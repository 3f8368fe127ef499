package io.strata.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeleteProofTest {
  @Test
  void copiesComeInKeyOrderWhateverOrderTheyWereGivenIn() {
    // The controller derives a delete task's id from its proof: the same proof must read the same
    // in every JVM, or a new leader takes the running deletes for other tasks and stops them.
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add("studies/%03d.dcm".formatted(i));
    }
    List<String> sorted = List.copyOf(keys);
    for (long seed = 0; seed < 5; seed++) {
      Collections.shuffle(keys, new Random(seed));
      Map<String, List<VerifiedCopy>> copies = new LinkedHashMap<>();
      keys.forEach(k -> copies.put(k, List.of(new VerifiedCopy("p1", 1, "a".repeat(64)))));

      DeleteProof proof = new DeleteProof(1, 1, copies);

      assertThat(List.copyOf(proof.copies().keySet())).isEqualTo(sorted);
    }
  }
}
