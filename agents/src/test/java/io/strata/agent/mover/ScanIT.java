package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.TaskRunner;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.ScanSummary;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScanIT extends TwoPools {

  @Test
  void digestIsEqualForEqualContentsWrittenInDifferentOrders() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add("study-" + (i % 7) + "/series/" + i + ".dcm");
    }
    for (String key : keys) {
      pools.get("a").put(Pools.DATASET, key, key.getBytes(StandardCharsets.UTF_8));
    }
    Collections.shuffle(keys, new Random(7));
    for (String key : keys) {
      pools.get("b").put(Pools.DATASET, key, key.getBytes(StandardCharsets.UTF_8));
    }

    ScanSummary a = scan("a", KeyRange.ALL).scan();
    ScanSummary b = scan("b", KeyRange.ALL).scan();

    assertThat(a.objects()).isEqualTo(40);
    assertThat(a.digest()).isEqualTo(b.digest());
    assertThat(a.bytes()).isEqualTo(b.bytes());
    assertThat(a.oldest()).isNotNull().isBeforeOrEqualTo(a.newest());
  }

  @Test
  void digestDiffersWhenOneObjectDiffers() throws Exception {
    pools.get("a").put(Pools.DATASET, "k1", new byte[] {1, 2, 3});
    pools.get("b").put(Pools.DATASET, "k1", new byte[] {1, 2, 4});

    assertThat(scan("a", KeyRange.ALL).scan().digest())
        .isNotEqualTo(scan("b", KeyRange.ALL).scan().digest());
  }

  @Test
  void scanCoversExactlyTheShardRangeAcrossSeveralListingPages() throws Exception {
    LocalS3Pool a = pools.get("a");
    int count = ShardLister.PAGE_SIZE + 50;
    a.putNumbered(Pools.DATASET, "m/", count);
    a.put(Pools.DATASET, "l/before", new byte[] {1});
    a.put(Pools.DATASET, "n/after", new byte[] {1});

    ScanSummary summary = scan("a", new KeyRange("m/", "n/")).scan();

    assertThat(summary.objects()).isEqualTo(count);
    assertThat(summary.bytes()).isEqualTo(count);
  }

  @Test
  void scanStartsAtTheRangeStartInclusiveAndAFilesystemPoolsDirectoriesAreNoObjects()
      throws Exception {
    LocalS3Pool a = pools.get("a");
    a.put(Pools.DATASET, "b", new byte[] {1});
    // On a filesystem-backed pool, "c/" is the directory that holds "c/x", not an object.
    a.put(Pools.DATASET, "c/", new byte[0]);
    a.put(Pools.DATASET, "c/x", new byte[] {2, 2});
    a.put(Pools.DATASET, "d", new byte[] {3, 3, 3});

    TaskResult result =
        runner.run(Task.scan("t", Pools.DATASET, new KeyRange("b", "d"), "a", 1).withListing(), 1);

    assertThat(result.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(result.scan().listing()).extracting(ListedObject::key).containsExactly("b", "c/x");
  }

  @Test
  void anEmptyObjectWhoseKeyEndsInASlashIsAnObjectWhereTheServerListsItAsOne() throws Exception {
    // MinIO and AWS list a folder marker made by a console as an object of its own: an empty
    // object named "c/". Dropping it would lose it when its pool is drained.
    String listing =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
        <Name>%s</Name><Prefix></Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>\
        <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\
        %s%s%s</ListBucketResult>"""
            .formatted(
                Pools.DATASET,
                contents("b", 1, "\"0cc175b9c0f1b6a831c399e269772661\""),
                contents("c/", 0, "\"d41d8cd98f00b204e9800998ecf8427e\""),
                contents("c/x", 2, "\"92eb5ffee6ae2fec3ad71c777531578f\""));
    FaultyProxy.Interceptor minioLike = head -> listingAnswer(head, listing);
    LocalS3Pool a = pools.get("a");
    try (FaultyProxy proxy = FaultyProxy.intercepting(a.port(), minioLike);
        TaskRunner viaProxy = runnerVia(proxy)) {

      TaskResult result =
          viaProxy.run(Task.scan("t", Pools.DATASET, KeyRange.ALL, "a", 1).withListing(), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(result.scan().listing())
          .extracting(ListedObject::key)
          .containsExactly("b", "c/", "c/x");
      assertThat(result.scan().objects()).isEqualTo(3);
    }
  }

  @Test
  void aMinioListingsUserMetadataIsTakenAsItsHeadWouldGiveItAndNoObjectIsHeaded() throws Exception {
    // MinIO answers a listing asked with metadata=true with each object's user metadata, as its
    // server writes it (cmd/api-response.go, generateListObjectsV2Response): the stored keys as
    // element names, plus content-type, expires and the erasure set. No MinIO server runs here,
    // so this is that answer, served for the real S3 pool behind it.
    String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    String listing =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
        <Name>%s</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>\
        <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\
        <Contents><Key>s/1.dcm</Key><LastModified>2026-11-30T04:00:00.000Z</LastModified>\
        <ETag>&quot;098f6bcd4621d373cade4e832627b4f6&quot;</ETag><Size>4</Size>\
        <StorageClass>STANDARD</StorageClass><UserMetadata>\
        <X-Amz-Meta-Strata-Sha256>%s</X-Amz-Meta-Strata-Sha256>\
        <X-Amz-Meta-Study-Date>2026-01-02</X-Amz-Meta-Study-Date>\
        <content-type>application/dicom</content-type>\
        <expires>Mon, 01 Jan 0001 00:00:00 GMT</expires>\
        </UserMetadata><Internal><K>4</K><M>2</M></Internal></Contents></ListBucketResult>"""
            .formatted(Pools.DATASET, sha);
    java.util.concurrent.atomic.AtomicInteger heads =
        new java.util.concurrent.atomic.AtomicInteger();
    FaultyProxy.Interceptor minio =
        head -> {
          if (head.startsWith("HEAD ")) {
            heads.incrementAndGet();
          }
          return listingAnswer(head, listing);
        };
    LocalS3Pool a = pools.get("a");
    a.put(Pools.DATASET, "s/1.dcm", "test".getBytes(StandardCharsets.UTF_8));
    try (FaultyProxy proxy = FaultyProxy.intercepting(a.port(), minio);
        TaskRunner viaProxy = runnerVia(proxy)) {

      TaskResult result =
          viaProxy.run(Task.scan("t", Pools.DATASET, KeyRange.ALL, "a", 1).withListing(), 1);

      assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
      ListedObject listed = result.scan().listing().get(0);
      assertThat(listed.sha256()).isEqualTo(sha);
      assertThat(listed.metadata())
          .containsExactlyInAnyOrderEntriesOf(
              java.util.Map.of("strata-sha256", sha, "study-date", "2026-01-02"));
      assertThat(heads.get()).as("HEAD requests").isZero();
    }
  }

  @Test
  void aShardScannedAgainIsHeadedOnlyForWhatChangedWhereListingsCarryNoMetadata() throws Exception {
    LocalS3Pool a = pools.get("a");
    for (int i = 0; i < 5; i++) {
      a.put(
          Pools.DATASET,
          "s/" + i + ".dcm",
          new byte[] {(byte) i},
          "application/dicom",
          java.util.Map.of("study-date", "2026-01-0" + (i + 1)));
    }
    java.util.concurrent.atomic.AtomicInteger heads =
        new java.util.concurrent.atomic.AtomicInteger();
    FaultyProxy.Interceptor counting =
        head -> {
          if (head.startsWith("HEAD ")) {
            heads.incrementAndGet();
          }
          return null;
        };
    try (FaultyProxy proxy = FaultyProxy.intercepting(a.port(), counting);
        TaskRunner viaProxy = runnerVia(proxy)) {
      Task scan = Task.scan("t", Pools.DATASET, KeyRange.ALL, "a", 1).withListing();

      TaskResult first = viaProxy.run(scan, 1);
      int headedFirst = heads.get();
      TaskResult again = viaProxy.run(scan, 1);
      int headedAgain = heads.get() - headedFirst;
      a.put(
          Pools.DATASET,
          "s/3.dcm",
          new byte[] {9, 9},
          "application/dicom",
          java.util.Map.of("study-date", "2026-02-02"));
      TaskResult rewritten = viaProxy.run(scan, 1);
      int headedRewritten = heads.get() - headedFirst - headedAgain;

      assertThat(headedFirst).as("first scan: a HEAD per object").isEqualTo(5);
      assertThat(headedAgain).as("the same versions again").isZero();
      assertThat(again.scan().listing()).isEqualTo(first.scan().listing());
      assertThat(headedRewritten).as("only the rewritten object").isEqualTo(1);
      assertThat(rewritten.scan().listing())
          .filteredOn(o -> o.key().equals("s/3.dcm"))
          .singleElement()
          .satisfies(o -> assertThat(o.metadata()).containsEntry("study-date", "2026-02-02"));
    }
  }

  /** A runner that reaches pool {@code a} through {@code proxy}. */
  private TaskRunner runnerVia(FaultyProxy proxy) {
    return pools.runner(
        PoolRegistry.of(java.util.Map.of("a", pools.get("a").endpointVia(proxy.port()))),
        Pools.settings(),
        Clock.systemUTC());
  }

  /** {@code listing} as the whole answer to a listing request; null for any other request. */
  private static String listingAnswer(String requestHead, String listing) {
    if (!requestHead.contains("list-type=2")) {
      return null;
    }
    return "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: "
        + listing.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n\r\n"
        + listing;
  }

  private static String contents(String key, long size, String etag) {
    return "<Contents><Key>%s</Key><LastModified>2026-11-30T04:00:00.000Z</LastModified>"
            .formatted(key)
        + "<ETag>%s</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>"
            .formatted(etag.replace("\"", "&quot;"), size);
  }

  @Test
  void scanOfAMissingBucketFailsPermanentlyWithTheBucketName() {
    TaskResult result = runner.run(Task.scan("t", "no-such-dataset", KeyRange.ALL, "a", 1), 1);

    assertThat(result.state()).isEqualTo(TaskState.FAILED);
    assertThat(result.failure().kind()).isEqualTo(io.strata.protocol.task.FailureKind.PERMANENT);
    assertThat(result.failure().reason()).contains("no-such-dataset").contains("does not exist");
  }

  private TaskResult scan(String pool, KeyRange range) {
    TaskResult result = runner.run(Task.scan("scan-" + pool, Pools.DATASET, range, pool, 1), 1);
    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    return result;
  }
}
