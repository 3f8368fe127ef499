package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.audit.AuditRecord;
import io.strata.controller.audit.AuditStore;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.reconcile.DestructionCertificates;
import io.strata.controller.s3.SystemDataset;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.fleet.expiry.Expiry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destruction certificates on a real S3 pool (S3Proxy), certified again as a leader does after a
 * crash between writing a certificate and ending its expiry.
 */
class DestructionCertificatesTest {
  private static final ObjectMapper JSON =
      Jackson.newObjectMapper()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Expiry EXPIRY =
      new Expiry(
          "expiry-0123456789ab",
          "h01-imaging",
          "ct-outpatient",
          NOW.minus(Duration.ofDays(1)),
          NOW.minus(Duration.ofHours(1)),
          "admin",
          "outpatient records, 15 years",
          "records committee, 2026-05");
  private static final ExpiryStore.Tally TALLY =
      new ExpiryStore.Tally(
          4, 400, Map.of("a2-warm", new long[] {2, 200}, "b2-cold", new long[] {2, 200}));

  @TempDir Path dir;
  private SystemDatasetPool pool;
  private SystemDataset dataset;

  @BeforeEach
  void startPool() throws Exception {
    pool = new SystemDatasetPool(dir.resolve("pool"));
    dataset = pool.dataset;
  }

  @AfterEach
  void stopPool() throws Exception {
    pool.close();
  }

  private AuditTrail trail(String replica) throws Exception {
    return trail(replica, dataset);
  }

  /** A replica's audit trail, whose records go to {@code kept}. */
  private AuditTrail trail(String replica, SystemDataset kept) throws Exception {
    AuditTrail trail =
        new AuditTrail(
            replica,
            Clock.systemUTC(),
            dir.resolve("spool-" + replica),
            new AuditStore(kept, JSON),
            Duration.ofMinutes(10),
            JSON);
    trail.start();
    return trail;
  }

  private long destroyRecords(AuditTrail trail) {
    return java.util.stream.Stream.concat(
            trail.spooled().values().stream(),
            trail
                .store()
                .list(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)))
                .values()
                .stream())
        .filter(r -> "destroy".equals(r.action()))
        .map(AuditRecord::hash)
        .distinct()
        .count();
  }

  @Test
  void aCertificateCertifiedAgainAfterACrashIsKeptOnceWithOneAuditRecord() throws Exception {
    AuditTrail first = trail("replica-1");
    DestructionCertificates leader = new DestructionCertificates(dataset, first, JSON);
    leader.certify(EXPIRY, TALLY, 2, 1, NOW);
    byte[] written = leader.read(EXPIRY.id()).orElseThrow();

    // The expiry's node was not removed (a crash): the next round certifies it again.
    leader.certify(EXPIRY, TALLY, 2, 1, NOW.plusSeconds(10));
    assertThat(leader.read(EXPIRY.id()).orElseThrow()).isEqualTo(written);
    assertThat(destroyRecords(first)).as("its record still in the spool").isEqualTo(1);
    first.stop(); // Flushed to the pool.

    // Another replica leads and certifies it once more.
    AuditTrail second = trail("replica-2");
    new DestructionCertificates(dataset, second, JSON)
        .certify(EXPIRY, TALLY, 2, 1, NOW.plusSeconds(20));
    second.stop();

    assertThat(leader.ids()).containsExactly(EXPIRY.id());
    assertThat(leader.read(EXPIRY.id()).orElseThrow()).isEqualTo(written);
    assertThat(destroyRecords(second)).as("one record, on the pool").isEqualTo(1);
    JsonNode c = JSON.readTree(written);
    assertThat(c.get("objectsDestroyed").asLong()).isEqualTo(2);
    assertThat(c.get("copiesDestroyed").asLong()).isEqualTo(4);
    assertThat(c.get("heldObjects").asLong()).isEqualTo(1);
    assertThat(c.get("completedAt").asText()).isEqualTo(NOW.toString());
  }

  @Test
  void aCertificateWhoseAuditRecordTheNextLeaderCannotFindGetsOne() throws Exception {
    // Replica 1 certified, then crashed with the record in its spool, never flushed.
    AuditTrail crashed = trail("replica-1", new SystemDataset(List::of, "strata-system"));
    new DestructionCertificates(dataset, crashed, JSON).certify(EXPIRY, TALLY, 2, 1, NOW);

    AuditTrail next = trail("replica-2");
    new DestructionCertificates(dataset, next, JSON)
        .certify(EXPIRY, TALLY, 2, 1, NOW.plusSeconds(20));

    assertThat(destroyRecords(next)).as("the certificate is anchored").isEqualTo(1);
    next.stop();
    crashed.stop();
  }
}
