package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.StatObjectResponse;
import io.strata.protocol.object.StrataMetadata;
import org.junit.jupiter.api.Test;

class ObjectCopierTest {

  static final String SHA = "ab".repeat(32);

  /** A target as a HEAD shows it: {@code size} bytes, ETag {@code etag}, and the markers given. */
  static StatObjectResponse target(long size, String etag, String sha256, String copiedFrom) {
    okhttp3.Headers.Builder headers =
        new okhttp3.Headers.Builder()
            .add("Content-Length", Long.toString(size))
            .add("ETag", "\"" + etag + "\"")
            .add("Last-Modified", "Mon, 30 Nov 2026 04:00:00 GMT");
    if (sha256 != null) {
      headers.add("x-amz-meta-" + StrataMetadata.SHA256, sha256);
    }
    if (copiedFrom != null) {
      headers.add("x-amz-meta-" + StrataMetadata.SOURCE_ETAG, copiedFrom);
    }
    return new StatObjectResponse(headers.build(), "b", "", "k");
  }

  @Test
  void aTargetCopiedFromTheSourcesEtagOrSharingItIsACopy() {
    assertThat(ObjectCopier.isCopyOf(target(10, "t", SHA, "s"), 10, SHA, "s")).isTrue();
    assertThat(ObjectCopier.isCopyOf(target(10, "t", SHA, "s"), 10, null, "s")).isTrue();
    assertThat(ObjectCopier.isCopyOf(target(10, "s", SHA, "x"), 10, SHA, "s")).isTrue();
  }

  @Test
  void equalMarkersAreNotEnoughWhenTheSourcesEtagIsNew() {
    // The source was rewritten, same size, by a tool that carried its old marker along.
    assertThat(ObjectCopier.isCopyOf(target(10, "t", SHA, "s"), 10, SHA, "rewritten")).isFalse();
  }

  @Test
  void aTargetWithoutAMarkerOrOfAnotherSizeOrHashIsNoCopy() {
    assertThat(ObjectCopier.isCopyOf(target(10, "s", null, "s"), 10, null, "s")).isFalse();
    assertThat(ObjectCopier.isCopyOf(target(11, "t", SHA, "s"), 10, SHA, "s")).isFalse();
    assertThat(ObjectCopier.isCopyOf(target(10, "t", SHA, "s"), 10, "cd".repeat(32), "s"))
        .isFalse();
    assertThat(ObjectCopier.isCopyOf(null, 10, SHA, "s")).isFalse();
  }
}
