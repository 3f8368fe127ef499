package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.StatObjectResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ObjectCopierTest {

  @Test
  void anEtagOf32HexDigitsIsSentBackAsTheContentMd5ItNames() throws Exception {
    byte[] md5 = MessageDigest.getInstance("MD5").digest("study".getBytes(StandardCharsets.UTF_8));
    String etag = HexFormat.of().formatHex(md5);

    assertThat(ObjectCopier.contentMd5(etag)).isEqualTo(Base64.getEncoder().encodeToString(md5));
    assertThat(ObjectCopier.contentMd5(etag.toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(Base64.getEncoder().encodeToString(md5));
  }

  @Test
  void otherEtagsNameNoContentMd5() {
    assertThat(ObjectCopier.contentMd5("9b2cf535f27731c974343645a3985328-2")).isNull();
    assertThat(ObjectCopier.contentMd5("9b2cf535f27731c974343645a398532z")).isNull();
    assertThat(ObjectCopier.contentMd5("")).isNull();
    assertThat(ObjectCopier.contentMd5(null)).isNull();
  }

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
