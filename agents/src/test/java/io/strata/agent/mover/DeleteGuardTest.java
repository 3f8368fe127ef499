package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.VerifiedCopy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeleteGuardTest {

  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

  static DeleteProof proof(long epoch, String... pools) {
    return new DeleteProof(
        epoch,
        2,
        Map.of("k", java.util.Arrays.stream(pools).map(p -> new VerifiedCopy(p, 1, "s")).toList()));
  }

  static Task task(long epoch, DeleteProof proof) {
    return Task.deleteCopy("d", "ds", new KeyRange("a", "m"), "local", epoch, proof);
  }

  static Task expiry(int required, String pool) {
    DeleteProof proof =
        new DeleteProof(5, required, Map.of("k", List.of(new VerifiedCopy(pool, 1, "s"))), "e1");
    return task(5, proof);
  }

  @Test
  void anExpiryNeedsNoOtherCopyButMustNameTheCopyItDestroys() {
    assertThat(DeleteGuard.refusal(expiry(0, "local"), 5)).isEmpty();
    assertThat(DeleteGuard.refusal(expiry(1, "local"), 5))
        .get()
        .asString()
        .contains("an expiry requires none");
    assertThat(DeleteGuard.refusal(expiry(0, "p1"), 5))
        .get()
        .asString()
        .contains("does not name the copy of k on pool local");
    assertThat(DeleteGuard.refusal(expiry(0, "local"), 6)).get().asString().contains("epoch 6");
  }

  @Test
  void withoutAnExpiryAProofRequiringNoCopyIsRefused() {
    DeleteProof none = new DeleteProof(5, 0, Map.of("k", List.of()));
    assertThat(DeleteGuard.refusal(task(5, none), 5))
        .get()
        .asString()
        .contains("at least 1 is needed");
  }

  @Test
  void validProofAtTheCurrentEpochPasses() {
    assertThat(DeleteGuard.refusal(task(5, proof(5, "p1", "p2")), 5)).isEmpty();
  }

  @Test
  void proofMustBeFromTheCurrentEpoch() {
    assertThat(DeleteGuard.refusal(task(5, proof(4, "p1", "p2")), 5))
        .get()
        .asString()
        .contains("proof from epoch 4");
    assertThat(DeleteGuard.refusal(task(5, proof(5, "p1", "p2")), 6))
        .get()
        .asString()
        .contains("agent is at epoch 6");
  }

  @Test
  void theLocalPoolAndDuplicatesDoNotCountAsCopies() {
    assertThat(DeleteGuard.refusal(task(5, proof(5, "p1", "p1", "local")), 5))
        .get()
        .asString()
        .contains("lists 1 verified copies");
  }

  @Test
  void keysOutsideTheShardAreRefused() {
    Task outside =
        Task.deleteCopy("d", "ds", new KeyRange("m", ""), "local", 5, proof(5, "p1", "p2"));

    assertThat(DeleteGuard.refusal(outside, 5)).get().asString().contains("outside");
  }

  @Test
  void missingProofIsRefused() {
    assertThat(DeleteGuard.refusal(task(5, null), 5)).get().asString().contains("no proof");
  }

  @Test
  void retentionDateProtectsThroughTheWholeDay() {
    assertThat(DeleteGuard.protection(Map.of("strata-retain-until", "2030-06-01"), NOW))
        .isPresent();
    assertThat(DeleteGuard.protection(Map.of("strata-retain-until", "2030-05-31"), NOW)).isEmpty();
    assertThat(DeleteGuard.protection(Map.of("strata-retain-until", "2030-06-01T12:00:01Z"), NOW))
        .isPresent();
  }

  @Test
  void unreadableRetentionProtects() {
    assertThat(DeleteGuard.protection(Map.of("strata-retain-until", "soon"), NOW))
        .get()
        .asString()
        .contains("unreadable");
  }

  @Test
  void legalHoldProtectsWhateverTheCase() {
    assertThat(DeleteGuard.protection(Map.of("Strata-Legal-Hold", "TRUE"), NOW)).isPresent();
    assertThat(DeleteGuard.protection(Map.of("strata-legal-hold", "false"), NOW)).isEmpty();
    assertThat(DeleteGuard.protection(Map.of("strata-legal-hold", " Off "), NOW)).isEmpty();
    assertThat(DeleteGuard.protection(Map.of("strata-legal-hold", "on"), NOW)).isPresent();
  }

  @Test
  void unreadableLegalHoldProtects() {
    assertThat(DeleteGuard.protection(Map.of("strata-legal-hold", "yes, until the trial"), NOW))
        .get()
        .asString()
        .contains("unreadable")
        .contains("yes, until the trial");
    assertThat(DeleteGuard.protection(Map.of("strata-legal-hold", " "), NOW)).isEmpty();
  }

  @Test
  void keysDefaultToTheProofsKeysInOrder() {
    DeleteProof proof =
        new DeleteProof(
            1,
            1,
            Map.of(
                "b",
                List.of(new VerifiedCopy("p", 1, "s")),
                "a",
                List.of(new VerifiedCopy("p", 1, "s"))));

    assertThat(DeleteGuard.keysOf(task(1, proof))).containsExactly("a", "b");
  }
}
