package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.TaskRunner;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.CopyEncryption;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Copies under a policy's server-side encryption, against S3Proxy, which stores what it is sent and
 * neither honours nor reports {@code x-amz-server-side-encryption}: there the copies are kept but
 * not counted, and the pool is flagged. A pool that reports the encryption asked is emulated by
 * {@link FaultyProxy#encrypting} in front of S3Proxy (the bytes stay unencrypted there: the test is
 * of what the agent sends and how it judges the answer).
 */
class EncryptedCopyIT extends TwoPools {

  private static final int OBJECTS = 3;
  private static final CopyEncryption SSE_S3 = new CopyEncryption(CopyEncryption.SSE_S3, null);
  private static final CopyEncryption KMS =
      new CopyEncryption(CopyEncryption.SSE_KMS, "1234abcd-12ab-34cd-56ef-1234567890ab");

  @Test
  void copiesThatAPoolDoesNotReportEncryptedAreKeptNotCountedAndThePoolIsFlagged()
      throws Exception {
    putStudies();

    TaskResult result = runner.run(copy("c1", SSE_S3), 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.count(KeyStatus.UNENCRYPTED)).isEqualTo(OBJECTS);
    assertThat(result.count(KeyStatus.COPIED)).isZero();
    assertThat(result.failure().reason())
        .startsWith(OBJECTS + " of " + OBJECTS + " keys not reported encrypted; first: s/0.dcm");
    KeyOutcome first = result.keysWith(KeyStatus.UNENCRYPTED).get(0);
    assertThat(first.detail())
        .isEqualTo(
            "the copy of "
                + Pools.DATASET
                + "/s/0.dcm on pool b was asked sse-s3, and the server reported no server-side"
                + " encryption; the copy is kept");
    for (int i = 0; i < OBJECTS; i++) {
      assertThat(b.read(Pools.DATASET, key(i))).as("kept").isEqualTo(study(i));
    }
    assertThat(runner.encryption().unmet("b")).contains(first.detail());
    assertThat(runner.encryption().unmet("a")).isEmpty();
  }

  @Test
  void copiesAlreadyOnAPoolThatDoesNotReportThemEncryptedAreNotCountedAndNotRewritten()
      throws Exception {
    putStudies();
    assertThat(runner.run(copy("plain", null), 1).count(KeyStatus.COPIED)).isEqualTo(OBJECTS);
    String etag = b.head(Pools.DATASET, key(1)).etag();

    TaskResult result = runner.run(copy("c1", SSE_S3), 1);

    assertThat(result.count(KeyStatus.UNENCRYPTED)).isEqualTo(OBJECTS);
    assertThat(result.count(KeyStatus.ALREADY_PRESENT)).isZero();
    assertThat(b.head(Pools.DATASET, key(1)).etag()).as("not rewritten").isEqualTo(etag);
    assertThat(runner.encryption().unmet("b")).isPresent();
  }

  @Test
  void aKmsKeyIsNeverSentToAPoolReachedOverPlainHttp() throws Exception {
    putStudies();

    TaskResult result = runner.run(copy("c1", KMS), 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().reason())
        .isEqualTo(
            "sse-kms with key 1234abcd-12ab-34cd-56ef-1234567890ab is sent only over TLS, and pool"
                + " b is reached over http: copies there cannot be encrypted as the policy asks");
    assertThatThrownBy(() -> b.head(Pools.DATASET, key(0))).as("nothing written");
    assertThat(runner.encryption().unmet("b")).contains(result.failure().reason());
  }

  @Test
  void aPoolThatReportsTheEncryptionAskedMeetsItAndEveryWriteAskedIt() throws Exception {
    putStudies();
    try (FaultyProxy encrypting = FaultyProxy.encrypting(b.port());
        TaskRunner viaProxy = runnerTo(encrypting)) {
      // A copy written before the policy asked encryption: not reported encrypted.
      Task plain = copy("plain", null).withKeys(List.of(key(0)));
      assertThat(viaProxy.run(plain, 1).count(KeyStatus.COPIED)).isEqualTo(1);

      TaskResult mixed = viaProxy.run(copy("c1", SSE_S3), 1);

      assertThat(mixed.count(KeyStatus.COPIED)).isEqualTo(OBJECTS - 1);
      assertThat(mixed.keysWith(KeyStatus.UNENCRYPTED))
          .extracting(KeyOutcome::key)
          .containsExactly(key(0));
      assertThat(viaProxy.encryption().unmet("b")).isPresent();
      assertThat(encrypting.encryptedWrites()).isEqualTo(OBJECTS - 1);

      a.put(Pools.DATASET, key(OBJECTS), study(OBJECTS), "application/dicom", Map.of());
      Task next = copy("c2", SSE_S3).withKeys(List.of(key(OBJECTS)));
      TaskResult encrypted = viaProxy.run(next, 1);

      assertThat(encrypted.state()).as("%s", encrypted.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(encrypted.count(KeyStatus.COPIED)).isEqualTo(1);
      assertThat(viaProxy.encryption().unmet("b")).as("met again").isEmpty();
      assertThat(encrypting.encryptedWrites()).isEqualTo(OBJECTS);
    }
    assertThat(b.read(Pools.DATASET, key(OBJECTS))).isEqualTo(study(OBJECTS));
    assertThat(
            StrataMetadata.get(
                b.head(Pools.DATASET, key(OBJECTS)).userMetadata(), StrataMetadata.SHA256))
        .isEqualTo(CopyIT.sha256(study(OBJECTS)));
  }

  @Test
  void aMultipartCopyAsksTheEncryptionWhenItsUploadStarts() throws Exception {
    byte[] large = CopyIT.content(6 * 1024 * 1024 + 17, 7);
    a.put(Pools.DATASET, "s/large.dcm", large, "application/dicom", Map.of());
    try (FaultyProxy encrypting = FaultyProxy.encrypting(b.port());
        TaskRunner viaProxy = runnerTo(encrypting)) {

      TaskResult result = viaProxy.run(copy("c1", SSE_S3), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.count(KeyStatus.COPIED)).isEqualTo(1);
      assertThat(encrypting.encryptedWrites()).as("the upload's initiation asked it").isEqualTo(1);
      assertThat(viaProxy.encryption().unmet("b")).isEmpty();
    }
    assertThat(b.read(Pools.DATASET, "s/large.dcm")).isEqualTo(large);
  }

  private TaskRunner runnerTo(FaultyProxy toB) {
    return pools.runner(
        PoolRegistry.of(Map.of("a", a.endpoint(), "b", b.endpointVia(toB.port()))),
        Pools.settings(),
        Clock.systemUTC());
  }

  private static Task copy(String id, CopyEncryption sse) {
    return Task.copy(id, Pools.DATASET, KeyRange.ALL, "a", "b", 1).withEncryption(sse);
  }

  private void putStudies() throws Exception {
    for (int i = 0; i < OBJECTS; i++) {
      a.put(Pools.DATASET, key(i), study(i), "application/dicom", Map.of());
    }
  }

  private static String key(int i) {
    return "s/" + i + ".dcm";
  }

  private static byte[] study(int i) {
    return CopyIT.content(2048 + i, i);
  }
}
