package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScanDigestTest {

  static ListedObject object(String key, long size, String etag) {
    return new ListedObject(key, size, Instant.ofEpochSecond(size), etag, null);
  }

  static String digestOf(List<ListedObject> objects) {
    ScanDigest digest = new ScanDigest();
    objects.forEach(digest::add);
    return digest.digest();
  }

  @Test
  void digestIgnoresListingOrder() {
    List<ListedObject> objects = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      objects.add(object("k" + i, i, "e" + i));
    }
    List<ListedObject> shuffled = new ArrayList<>(objects);
    Collections.shuffle(shuffled, new Random(1));

    assertThat(digestOf(shuffled)).isEqualTo(digestOf(objects));
  }

  @Test
  void digestChangesWithKeySizeOrChecksum() {
    String base = digestOf(List.of(object("k", 1, "e")));

    assertThat(digestOf(List.of(object("k2", 1, "e")))).isNotEqualTo(base);
    assertThat(digestOf(List.of(object("k", 2, "e")))).isNotEqualTo(base);
    assertThat(digestOf(List.of(object("k", 1, "f")))).isNotEqualTo(base);
  }

  @Test
  void sha256MarkerTakesPrecedenceOverEtag() {
    ListedObject withSha = new ListedObject("k", 1, null, "etag", "abc");

    assertThat(withSha.checksum()).isEqualTo("sha256:abc");
    assertThat(object("k", 1, "etag").checksum()).isEqualTo("etag:etag");
  }

  @Test
  void summaryCountsBytesAndTimeBounds() {
    ScanDigest digest = new ScanDigest();
    digest.add(object("a", 5, "x"));
    digest.add(object("b", 3, "y"));

    assertThat(digest.objects()).isEqualTo(2);
    assertThat(digest.bytes()).isEqualTo(8);
    assertThat(digest.oldest()).isEqualTo(Instant.ofEpochSecond(3));
    assertThat(digest.newest()).isEqualTo(Instant.ofEpochSecond(5));
    assertThat(new ScanDigest().digest()).hasSize(64).matches("0+");
  }
}
