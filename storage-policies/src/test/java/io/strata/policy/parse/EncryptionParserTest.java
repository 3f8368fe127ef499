package io.strata.policy.parse;

import static io.strata.policy.parse.Policies.errors;
import static io.strata.policy.parse.Policies.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.model.Encryption;
import org.junit.jupiter.api.Test;

/** A policy's {@code encryption}: what it asks of the pools, and how a bad value is reported. */
class EncryptionParserTest {

  private static Encryption read(String text) {
    PolicyLoadResult result = Policies.parse(text);
    assertThat(result.errors()).isEmpty();
    return result.policies().get(0).encryption();
  }

  @Test
  void aPolicyWithoutEncryptionAsksNone() {
    assertThat(read(plus(""))).isNull();
  }

  @Test
  void sseS3IsReadWithNoKey() {
    assertThat(read(plus("encryption: {type: sse-s3}\n")))
        .isEqualTo(new Encryption(Encryption.Type.SSE_S3, null));
  }

  @Test
  void sseKmsIsReadWithItsKeyReference() {
    assertThat(read(plus("encryption:\n  type: SSE-KMS\n  keyId: alias/strata-imaging\n")))
        .isEqualTo(new Encryption(Encryption.Type.SSE_KMS, "alias/strata-imaging"));
  }

  @Test
  void sseKmsNeedsAKeyReference() {
    assertThat(errors(plus("encryption: {type: sse-kms}\n")))
        .containsExactly(
            "t.yaml:9:13: encryption.keyId: missing; sse-kms needs keyId: the id, alias or ARN of"
                + " the key in the pools' KMS");
  }

  @Test
  void anUnknownTypeIsAnErrorAtItsPlace() {
    assertThat(errors(plus("encryption: {type: aes256}\n")))
        .containsExactly(
            "t.yaml:9:20: encryption.type: 'aes256' is not an encryption type; allowed: sse-s3,"
                + " sse-kms");
  }

  @Test
  void aMissingTypeAndAnUnknownKeyAreErrors() {
    assertThat(errors(plus("encryption: {key: k1}\n")))
        .containsExactlyInAnyOrder(
            "t.yaml:9:14: encryption.key: unknown key 'key'; did you mean 'keyId'? allowed: type,"
                + " keyId",
            "t.yaml:9:13: encryption.type: missing; 'encryption' needs type");
  }

  @Test
  void sseS3RefusesAKeyId() {
    assertThat(errors(plus("encryption: {type: sse-s3, keyId: k1}\n")))
        .containsExactly(
            "t.yaml:9:35: encryption.keyId: sse-s3 uses keys the server manages and takes no"
                + " keyId; write type: sse-kms to name a key");
  }

  @Test
  void somethingThatIsNoKeyReferenceIsRefusedWithoutRepeatingIt() {
    String material = "kL9+vX2/qW8=";
    assertThat(errors(plus("encryption: {type: sse-kms, keyId: \"" + material + "\"}\n")))
        .singleElement()
        .asString()
        .startsWith("t.yaml:9:36: encryption.keyId: not a key id;")
        .doesNotContain(material);
  }

  @Test
  void encryptionThatIsNotAMapIsAnError() {
    assertThat(errors(plus("encryption: sse-s3\n")))
        .containsExactly("t.yaml:9:13: encryption: expected a map, found 'sse-s3'");
  }
}
