package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BufferedCopyTest {

  @Test
  void anEtagOf32HexDigitsIsSentBackAsTheContentMd5ItNames() throws Exception {
    byte[] md5 = MessageDigest.getInstance("MD5").digest("study".getBytes(StandardCharsets.UTF_8));
    String etag = HexFormat.of().formatHex(md5);

    assertThat(BufferedCopy.contentMd5(etag)).isEqualTo(Base64.getEncoder().encodeToString(md5));
    assertThat(BufferedCopy.contentMd5(etag.toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(Base64.getEncoder().encodeToString(md5));
  }

  @Test
  void otherEtagsNameNoContentMd5() {
    assertThat(BufferedCopy.contentMd5("9b2cf535f27731c974343645a3985328-2")).isNull();
    assertThat(BufferedCopy.contentMd5("9b2cf535f27731c974343645a398532z")).isNull();
    assertThat(BufferedCopy.contentMd5("")).isNull();
    assertThat(BufferedCopy.contentMd5(null)).isNull();
  }
}
