package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.strata.controller.audit.AuditChain;
import io.strata.controller.audit.AuditCli;
import io.strata.controller.audit.AuditEvent;
import io.strata.controller.audit.AuditRecord;
import io.strata.controller.audit.AuditStore;
import io.strata.controller.audit.AuditTrail;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.s3.TestS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata audit verify} over several pools: a replica writes each record to the first
 * candidate pool that takes it, so one chain can lie on two pools; read from one of them it has a
 * gap, read from both it holds.
 */
class AuditVerifyPoolsTest {
  @TempDir Path dir;
  private final ObjectMapper json =
      Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final List<EmbeddedS3Pool> pools = new ArrayList<>();
  private Path credentials;

  @BeforeEach
  void chainOverTwoPools() throws Exception {
    credentials = dir.resolve("pool.credentials");
    Files.writeString(
        credentials,
        "accessKey=" + TestFleet.KEYS.accessKey() + "\nsecretKey=" + TestFleet.KEYS.secretKey());
    for (int i = 0; i < 2; i++) {
      EmbeddedS3Pool pool = EmbeddedS3Pool.startInMemory(0, TestFleet.KEYS);
      pools.add(pool);
      client(i).makeBucket(MakeBucketArgs.builder().bucket("strata-system").build());
    }
    Path spool = dir.resolve("spool");
    AuditTrail trail =
        new AuditTrail(
            "replica-1",
            Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC),
            spool,
            new AuditStore(List::of, "strata-system", json),
            Duration.ofMinutes(10),
            json);
    trail.start();
    for (int i = 1; i <= 5; i++) {
      trail.append(
          new AuditEvent(
              "alice",
              "operator",
              "POST /v1/pools/{id}/drain",
              "/api/v1/pools/p" + i + "/drain",
              "ab".repeat(32),
              200,
              "127.0.0.1"));
    }
    trail.stop();
    // Records 3 and 5 went to the second pool, as they do while the first is down.
    try (Stream<Path> files = Files.list(spool.resolve("pending"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        byte[] data = Files.readAllBytes(file);
        AuditRecord record = json.readValue(data, AuditRecord.class);
        client(Set.of(3L, 5L).contains(record.seq()) ? 1 : 0)
            .putObject(
                PutObjectArgs.builder()
                    .bucket("strata-system")
                    .object(AuditChain.key(record))
                    .stream(new ByteArrayInputStream(data), data.length, -1)
                    .build());
      }
    }
  }

  @AfterEach
  void stopPools() throws Exception {
    for (EmbeddedS3Pool pool : pools) {
      pool.close();
    }
  }

  private MinioClient client(int pool) {
    return TestS3.client(pools.get(pool).endpoint().toString(), TestFleet.KEYS);
  }

  private int verify(int pools, int credentialsFiles) {
    List<String> args = new ArrayList<>(List.of("verify"));
    for (int i = 0; i < pools; i++) {
      args.addAll(List.of("--endpoint", this.pools.get(i).endpoint().toString()));
    }
    for (int i = 0; i < credentialsFiles; i++) {
      args.addAll(List.of("--credentials", credentials.toString()));
    }
    out.reset();
    return AuditCli.run(args.toArray(String[]::new), print, print);
  }

  @Test
  void aChainOnTwoPoolsHoldsReadFromBothAndHasAGapReadFromOne() {
    assertThat(verify(1, 1)).as(out.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("missing: record 2 is followed by record 4");

    assertThat(verify(2, 2)).as(out.toString()).isZero();
    assertThat(out.toString()).contains("OK: 5 records").contains("replica-1=5");

    assertThat(verify(2, 1)).as("one credentials file for every pool").isZero();
  }

  @Test
  void endpointsAndCredentialsThatDoNotPairAreAUsageError() {
    assertThat(verify(2, 3)).isEqualTo(2);
    assertThat(out.toString())
        .contains("2 --endpoint but 3 --credentials")
        .contains("usage: strata audit verify");
  }
}
