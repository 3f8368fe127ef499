package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.CopyEncryption;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** What a copy's writes ask of the target, and how the target's answer to a HEAD is judged. */
class SseRequestTest {
  private static final String KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ARN = "arn:aws:kms:cn-north-1:111122223333:key/" + KEY;

  private static SseRequest s3() {
    return SseRequest.of(new CopyEncryption(CopyEncryption.SSE_S3, null));
  }

  private static SseRequest kms(String key) {
    return SseRequest.of(new CopyEncryption(CopyEncryption.SSE_KMS, key));
  }

  private static Headers reported(String... namesAndValues) {
    return Headers.of(namesAndValues);
  }

  @Test
  void noEncryptionAskedMakesNoRequest() {
    assertThat(SseRequest.of(null)).isNull();
  }

  @Test
  void sseS3AsksAes256AndMayGoOverPlainHttp() {
    assertThat(s3().sse().headers()).containsEntry("X-Amz-Server-Side-Encryption", "AES256");
    assertThat(s3().tlsRequired()).isFalse();
  }

  @Test
  void sseKmsNamesItsKeyAndGoesOnlyOverTls() {
    assertThat(kms(KEY).sse().headers())
        .containsEntry("X-Amz-Server-Side-Encryption", "aws:kms")
        .containsEntry("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", KEY);
    assertThat(kms(KEY).tlsRequired()).isTrue();
  }

  @Test
  void aCopyWithoutTheHeaderIsNotEncrypted() {
    assertThat(s3().problem(reported())).contains("the server reported no server-side encryption");
    assertThat(kms(KEY).problem(reported("Content-Length", "3"))).isPresent();
  }

  @Test
  void sseS3IsMetByAnyEncryptionTheServerReports() {
    assertThat(s3().problem(reported("x-amz-server-side-encryption", "AES256"))).isEmpty();
    assertThat(s3().problem(reported("x-amz-server-side-encryption", "aws:kms"))).isEmpty();
  }

  @Test
  void sseKmsNeedsAKmsKeyAndTheKeyAskedWhenTheServerNamesIt() {
    assertThat(kms(KEY).problem(reported("x-amz-server-side-encryption", "AES256")))
        .contains("the server reported AES256, not aws:kms");
    assertThat(
            kms(KEY)
                .problem(
                    reported(
                        "x-amz-server-side-encryption",
                        "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id",
                        ARN)))
        .isEmpty();
    assertThat(
            kms("other-key")
                .problem(
                    reported(
                        "x-amz-server-side-encryption",
                        "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id",
                        ARN)))
        .contains("the server reported key " + ARN + ", not other-key");
  }

  @Test
  void anAliasIsNotComparedWithTheKeyArnTheServerAnswers() {
    assertThat(
            kms("alias/strata-imaging")
                .problem(
                    reported(
                        "x-amz-server-side-encryption",
                        "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id",
                        ARN)))
        .isEmpty();
  }
}
