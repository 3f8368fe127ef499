package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerificationTimesTest {
  private static final Instant T = Instant.parse("2026-12-06T10:15:30Z");

  /** Records in memory; every version written to a bucket is kept, as on two pools. */
  static final class MemoryStore implements VerificationTimes.Store {
    final Map<Integer, List<byte[]>> records = new HashMap<>();
    final Set<Integer> refusing = new HashSet<>();
    int writes;

    @Override
    public Map<Integer, List<byte[]>> read() {
      return records;
    }

    @Override
    public void write(int bucket, byte[] record) throws Exception {
      if (refusing.contains(bucket)) {
        throw new Exception("pool down");
      }
      writes++;
      records.put(bucket, new ArrayList<>(List.of(record)));
    }
  }

  @Test
  void aNewLeaderReadsTheTimesTheLastOneKept() throws Exception {
    MemoryStore store = new MemoryStore();
    VerificationTimes leader = new VerificationTimes(store);
    leader.verified("ds:0", "p1", T);
    leader.verified("ds:0", "p2", T.plusSeconds(60));
    leader.verified("ds:1", "p1", T.plusSeconds(120));
    leader.flush();

    VerificationTimes next = new VerificationTimes(store);

    assertThat(next.load()).isEqualTo(3);
    assertThat(next.at("ds:0", "p1")).isEqualTo(T);
    assertThat(next.at("ds:0", "p2")).isEqualTo(T.plusSeconds(60));
    assertThat(next.at("ds:1", "p1")).isEqualTo(T.plusSeconds(120));
    assertThat(next.at("ds:1", "p2")).isNull();
  }

  @Test
  void aShardsPoolsShareOneRecordAndOnlyChangedRecordsAreWritten() {
    MemoryStore store = new MemoryStore();
    VerificationTimes times = new VerificationTimes(store);
    for (int pool = 0; pool < 3; pool++) {
      times.verified("ds:0", "p" + pool, T);
    }
    times.flush();
    assertThat(store.writes).isEqualTo(1);
    assertThat(store.records).containsOnlyKeys(VerificationTimes.bucketOf("ds:0"));

    times.flush();
    assertThat(store.writes).as("nothing changed").isEqualTo(1);
  }

  @Test
  void aRecordThatCouldNotBeWrittenIsWrittenAtTheNextFlush() throws Exception {
    MemoryStore store = new MemoryStore();
    VerificationTimes times = new VerificationTimes(store);
    int bucket = VerificationTimes.bucketOf("ds:0");
    store.refusing.add(bucket);
    times.verified("ds:0", "p1", T);

    assertThat(times.flush()).isEqualTo(1);
    store.refusing.clear();
    assertThat(times.flush()).isZero();

    VerificationTimes next = new VerificationTimes(store);
    next.load();
    assertThat(next.at("ds:0", "p1")).isEqualTo(T);
  }

  @Test
  void twoVersionsOfARecordMergeToTheLaterTimeOfEachCopy() throws Exception {
    MemoryStore store = new MemoryStore();
    int bucket = VerificationTimes.bucketOf("ds:0");
    byte[] older =
        VerificationTimes.encode(
            Map.of("ds:0", Map.of("p1", T.getEpochSecond(), "p2", T.getEpochSecond() + 9)));
    byte[] newer = VerificationTimes.encode(Map.of("ds:0", Map.of("p1", T.getEpochSecond() + 5)));
    store.records.put(bucket, List.of(older, newer));

    VerificationTimes times = new VerificationTimes(store);
    times.load();

    assertThat(times.at("ds:0", "p1")).isEqualTo(T.plusSeconds(5));
    assertThat(times.at("ds:0", "p2")).isEqualTo(T.plusSeconds(9));
  }

  @Test
  void aSplitShardIsForgottenAndAnUnreadableRecordCountsAsEmpty() throws Exception {
    MemoryStore store = new MemoryStore();
    VerificationTimes times = new VerificationTimes(store);
    times.verified("ds:0", "p1", T);
    times.flush();
    times.forgetShard("ds:0");
    times.flush();
    store.records.put(VerificationTimes.bucketOf("ds:9"), List.of("not a record".getBytes()));

    VerificationTimes next = new VerificationTimes(store);

    assertThat(next.load()).isZero();
    assertThat(next.at("ds:0", "p1")).isNull();
  }

  @Test
  void aRecordOfAThousandShardsOnThreePoolsStaysSmall() {
    Map<String, Map<String, Long>> bucket = new HashMap<>();
    for (int s = 0; s < 1_000; s++) {
      Map<String, Long> pools = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        pools.put("site-a-room-2-rack-" + (s * 7 + p) % 500 + "-hdd", T.getEpochSecond() + s * 17);
      }
      bucket.put(String.format("fz-h03-imaging:%08x", s * 2_654_435_761L & 0xffffffffL), pools);
    }

    byte[] record = VerificationTimes.encode(bucket);

    // A million shards on three pools fill a thousand such records: some 40 MB in all.
    assertThat(record.length).as("bytes for 3,000 shard and pool pairs").isLessThan(3_000 * 25);
    assertThat(VerificationTimes.decode(record)).isEqualTo(bucket);
  }
}
