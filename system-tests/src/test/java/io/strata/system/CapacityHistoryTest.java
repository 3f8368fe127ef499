package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.strata.controller.capacity.CapacityHistory;
import io.strata.controller.s3.SystemDataset;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.TestSamples;
import io.strata.runtime.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity history on a real S3 pool (S3Proxy): written by the leader, read by every replica.
 */
class CapacityHistoryTest {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final Duration WINDOW = Duration.ofDays(30);
  private static final Duration KEEP = Duration.ofDays(45);

  @TempDir Path dir;
  private SystemDatasetPool pool;
  private MinioClient client;
  private SystemDataset dataset;

  @BeforeEach
  void startPool() throws Exception {
    pool = new SystemDatasetPool(dir.resolve("pool"));
    client = pool.client;
    dataset = pool.dataset;
  }

  @AfterEach
  void stopPool() throws Exception {
    pool.close();
  }

  private CapacityHistory history(
      TestClock now, AtomicReference<CapacitySample> fleet, boolean leads) {
    return new CapacityHistory(
        dataset,
        fleet::get,
        () -> leads,
        leads ? "replica-1" : "replica-2",
        now,
        Duration.ofHours(1),
        WINDOW,
        KEEP,
        JSON);
  }

  /** The history's objects on the pool (not S3Proxy's directory placeholders). */
  private List<String> keys() throws Exception {
    List<String> out = new ArrayList<>();
    if (!client.bucketExists(BucketExistsArgs.builder().bucket("strata-system").build())) {
      return out;
    }
    for (Result<Item> r :
        client.listObjects(
            ListObjectsArgs.builder()
                .bucket("strata-system")
                .prefix("capacity/")
                .recursive(true)
                .build())) {
      if (!r.get().objectName().endsWith("/")) {
        out.add(r.get().objectName());
      }
    }
    return out;
  }

  @Test
  void theLeaderWritesSamplesThatEveryReplicaReadsAndANewReplicaReadsTheWindowBack()
      throws Exception {
    Instant t0 = Instant.parse("2026-11-29T23:30:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet =
        new AtomicReference<>(TestSamples.sample(t0, Map.of("p1", 100L, "p2", 5L)));
    CapacityHistory leader = history(now, fleet, true);
    CapacityHistory follower = history(now, fleet, false);

    leader.tick();
    follower.tick();
    // An hour later, past midnight: the next sample is kept under the next day.
    Instant t1 = t0.plus(Duration.ofHours(1));
    now.set(t1);
    fleet.set(TestSamples.sample(t1, Map.of("p1", 160L)));
    leader.tick();
    follower.tick();

    assertThat(keys())
        .containsExactly(
            "capacity/2026/11/29/" + t0.toEpochMilli() + "-replica-1.json",
            "capacity/2026/11/30/" + t1.toEpochMilli() + "-replica-1.json");
    assertThat(follower.samples()).extracting(CapacitySample::at).containsExactly(t0, t1);
    CapacitySample second = follower.samples().get(1);
    assertThat(second.pools()).containsExactly("p1");
    assertThat(second.used()).containsExactly(160L);
    assertThat(follower.lastError()).isEmpty();

    CapacityHistory restarted = history(now, fleet, false);
    restarted.refresh();
    assertThat(restarted.samples()).extracting(CapacitySample::at).containsExactly(t0, t1);

    // Once the first sample is older than the window, it is no longer read or kept.
    now.set(t0.plus(WINDOW).plusSeconds(1));
    follower.refresh();
    assertThat(follower.samples()).extracting(CapacitySample::at).containsExactly(t1);
    CapacityHistory late = history(now, fleet, false);
    late.refresh();
    assertThat(late.samples()).extracting(CapacitySample::at).containsExactly(t1);
  }

  @Test
  void theDatasetsAgesGoIntoTheFirstSampleOfEachDayAndTheirBytesIntoEveryOne() throws Exception {
    Instant t0 = Instant.parse("2026-11-29T22:30:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet = new AtomicReference<>();
    CapacityHistory leader = history(now, fleet, true);
    for (int h = 0; h < 3; h++) {
      Instant t = t0.plus(Duration.ofHours(h));
      now.set(t);
      fleet.set(
          TestSamples.sample(t, Map.of("p1", 10L + h))
              .withDatasets(
                  List.of(
                      new CapacitySample.DatasetBytes(
                          "h01-imaging", "imaging", 100L + h, new long[] {h, 100}))));
      leader.tick();
    }
    CapacityHistory read = history(now, fleet, false);
    read.refresh();

    // 22:30 carries them for the 29th, 23:30 not; 00:30 is the first of the 30th.
    assertThat(read.samples())
        .extracting(s -> s.datasets().get(0).bytes() + " " + s.hasAges())
        .containsExactly("100 true", "101 false", "102 true");
    assertThat(read.samples().get(2).datasets().get(0).ages()).containsExactly(2, 100);
  }

  @Test
  void aSampleWrittenBeforeDatasetsWereCountedIsReadWithoutThem() throws Exception {
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    byte[] old =
        ("{\"at\": \"" + t0 + "\", \"pools\": [\"p1\"], \"used\": [7]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    dataset.put(CapacityHistory.key(t0, "replica-0"), old);
    CapacityHistory read =
        history(new TestClock(t0.plusSeconds(60)), new AtomicReference<>(), false);

    read.refresh();

    assertThat(read.samples()).hasSize(1);
    assertThat(read.samples().get(0).used()).containsExactly(7L);
    assertThat(read.samples().get(0).datasets()).isNull();
  }

  @Test
  void samplesOfTheSamePoolsShareOneListOfThem() throws Exception {
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet = new AtomicReference<>();
    CapacityHistory leader = history(now, fleet, true);
    for (int h = 0; h < 3; h++) {
      Instant t = t0.plus(Duration.ofHours(h));
      now.set(t);
      fleet.set(TestSamples.sample(t, Map.of("p1", 10L + h, "p2", 20L + h)));
      leader.tick();
    }
    CapacityHistory read = history(now, fleet, false);
    read.refresh();
    List<CapacitySample> samples = read.samples();
    assertThat(samples).hasSize(3);
    // Read back from three objects, yet one list: 720 samples of 10,000 pools hold each id once.
    assertThat(samples.get(1).pools()).isSameAs(samples.get(0).pools());
    assertThat(samples.get(2).pools()).isSameAs(samples.get(0).pools());
    assertThat(samples.get(2).used()).containsExactly(12L, 22L);
  }

  @Test
  void theLeaderDeletesSamplesOlderThanItKeepsThemAtMostOnceADay() throws Exception {
    Instant t0 = Instant.parse("2026-09-01T00:00:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet = new AtomicReference<>();
    CapacityHistory leader = history(now, fleet, true);
    CapacityHistory follower = history(now, fleet, false);
    List<Instant> taken = new ArrayList<>();
    for (int day : new int[] {0, 20, 40}) {
      Instant t = t0.plus(Duration.ofDays(day));
      now.set(t);
      fleet.set(TestSamples.sample(t, Map.of("p1", 10L + day)));
      leader.tick();
      taken.add(t);
    }
    assertThat(keys()).hasSize(3);
    // 46 days after the first sample it is more than 45 days old; a follower deletes nothing.
    now.set(t0.plus(Duration.ofDays(46)));
    follower.tick();
    assertThat(keys()).hasSize(3);
    leader.tick();
    assertThat(keys())
        .containsExactly(
            "capacity/2026/09/21/" + taken.get(1).toEpochMilli() + "-replica-1.json",
            "capacity/2026/10/11/" + taken.get(2).toEpochMilli() + "-replica-1.json");
    // Once a day at most: an old sample that turns up (written by a replica that led before)
    // stays until a day after the last deletion.
    String late = CapacityHistory.key(t0.plusSeconds(60), "replica-9");
    dataset.put(late, JSON.writeValueAsBytes(TestSamples.sample(t0, Map.of("p1", 1L))));
    now.set(t0.plus(Duration.ofDays(46)).plus(Duration.ofHours(12)));
    leader.tick();
    assertThat(keys()).contains(late);
    now.set(t0.plus(Duration.ofDays(47)).plusSeconds(1));
    leader.tick();
    assertThat(keys()).doesNotContain(late);
    assertThat(leader.lastError()).isEmpty();
  }

  @Test
  void aKeepShorterThanTheWindowIsRefused() {
    assertThatThrownBy(
            () ->
                new CapacityHistory(
                    dataset,
                    () -> null,
                    () -> true,
                    "replica-1",
                    Clock.systemUTC(),
                    Duration.ofHours(1),
                    WINDOW,
                    Duration.ofDays(7),
                    JSON))
        .hasMessageContaining("capacity.keep (PT168H) must be at least capacity.window (PT720H)");
  }

  @Test
  void aFollowerWritesNothingAndAnEmptyFleetIsNotSampled() throws Exception {
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet =
        new AtomicReference<>(TestSamples.sample(t0, Map.of("p1", 1L)));
    history(now, fleet, false).tick();
    fleet.set(TestSamples.sample(t0, Map.of()));
    history(now, fleet, true).tick();
    assertThat(keys()).isEmpty();
  }

  @Test
  void anUnreachablePoolIsReportedAndTheHistoryGoesOnOnceItIsBack() throws Exception {
    Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    TestClock now = new TestClock(t0);
    AtomicReference<CapacitySample> fleet =
        new AtomicReference<>(TestSamples.sample(t0, Map.of("p1", 1L)));
    CapacityHistory leader = history(now, fleet, true);
    pool.stop();
    leader.tick();
    assertThat(leader.lastError()).get().asString().contains("no pool took capacity/2026/11/30/");
    assertThat(leader.samples()).isEmpty();

    pool.restart();
    leader.tick();
    assertThat(leader.lastError()).isEmpty();
    assertThat(leader.samples()).hasSize(1);
    assertThat(keys()).hasSize(1);
  }
}
