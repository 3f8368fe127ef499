package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.protocol.task.FailureKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashingInputStreamTest {

  static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
  static final String ABC_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void computesSha256() throws Exception {
    assertThat(HashingInputStream.hashing(new ByteArrayInputStream(ABC)).drain())
        .isEqualTo(ABC_SHA);
  }

  @Test
  void wrongContentFailsBeforeTheLastByteIsHandedOut() {
    HashingInputStream in =
        HashingInputStream.verifying(
            new ByteArrayInputStream(ABC), 3, "00".repeat(32), FailureKind.PERMANENT);
    byte[] buf = new byte[3];

    assertThatThrownBy(() -> in.read(buf, 0, 3))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining(ABC_SHA);
  }

  @Test
  void shortContentFails() {
    HashingInputStream in =
        HashingInputStream.verifying(
            new ByteArrayInputStream(ABC), 4, ABC_SHA, FailureKind.TRANSIENT);

    assertThatThrownBy(in::drain).hasMessageContaining("after 3 of 4 bytes");
  }

  @Test
  void anEmptyObjectIsCheckedAgainstTheHashItDeclares() {
    // A source truncated to nothing that kept its marker: copying it would replace a good copy.
    HashingInputStream in =
        HashingInputStream.verifying(
            new ByteArrayInputStream(new byte[0]), 0, ABC_SHA, FailureKind.PERMANENT);

    assertThatThrownBy(in::drain)
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("expected " + ABC_SHA);
  }

  @Test
  void rightContentPasses() throws Exception {
    assertThat(
            HashingInputStream.verifying(
                    new ByteArrayInputStream(ABC), 3, ABC_SHA, FailureKind.PERMANENT)
                .drain())
        .isEqualTo(ABC_SHA);
  }

  @Test
  void endpointsNeverShowTheirKeys() {
    PoolEndpoint endpoint =
        new PoolEndpoint("p", java.net.URI.create("http://127.0.0.1:9000"), "AKIA-1", "s3cr3t");

    assertThat(endpoint.toString()).doesNotContain("AKIA-1").doesNotContain("s3cr3t");
  }
}
