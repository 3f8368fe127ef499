package io.strata.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica's audit spool failing closed; no pool is reachable, so records stay in the spool. */
class AuditTrailTest {
  @TempDir Path spool;
  private AuditTrail trail;

  @BeforeEach
  void start() throws Exception {
    var json = Jackson.newObjectMapper();
    trail =
        new AuditTrail(
            "replica-1",
            Clock.systemUTC(),
            spool,
            new AuditStore(List::of, "strata-system", json),
            Duration.ofMinutes(10),
            json);
    trail.start();
  }

  @AfterEach
  void stop() throws Exception {
    trail.stop();
  }

  private static AuditEvent drain(int outcome) {
    return new AuditEvent(
        "op", "operator", "POST /v1/cluster-map/pools/{id}/drain", "/x", "0", outcome, "::1");
  }

  @Test
  void aRecordTakesTheRoomItsChangeReservedAndTheRoomIsFreed() throws Exception {
    AuditTrail.Reservation room = trail.reserve();
    assertThat(files(spool.resolve("reserved"))).hasSize(1);
    assertThat(Files.size(files(spool.resolve("reserved")).get(0)))
        .isEqualTo(AuditTrail.RESERVATION_BYTES);

    trail.append(drain(200), room);

    assertThat(files(spool.resolve("reserved"))).isEmpty();
    assertThat(trail.spooled()).hasSize(1);
    assertThat(trail.writable()).isTrue();
  }

  @Test
  void aSpoolThatCannotBeWrittenRefusesReservationsUntilAProbeFindsItWritableAgain()
      throws Exception {
    // Each directory replaced by a file: every write in it fails, as on a full disk.
    Path reserved = spool.resolve("reserved");
    Path pending = spool.resolve("pending");
    Files.move(reserved, spool.resolve("reserved.aside"));
    Files.move(pending, spool.resolve("pending.aside"));
    Files.writeString(reserved, "");
    Files.writeString(pending, "");

    assertThatThrownBy(trail::reserve).isInstanceOf(IOException.class);
    assertThat(trail.writable()).isFalse();
    assertThatThrownBy(() -> trail.append(drain(503))).isInstanceOf(IOException.class);
    assertThat(trail.head().seq()).as("the chain unchanged").isZero();

    Files.delete(reserved);
    Files.delete(pending);
    Files.move(spool.resolve("reserved.aside"), reserved);
    Files.move(spool.resolve("pending.aside"), pending);
    assertThat(trail.writable()).as("until probed").isFalse();
    trail.flush();
    assertThat(trail.writable()).isTrue();
    assertThat(files(reserved)).as("the probe's room freed").isEmpty();
  }

  @Test
  void reservationsLeftByACrashAreFreedAtStart() throws Exception {
    trail.reserve();
    trail.stop();
    trail.start();
    assertThat(files(spool.resolve("reserved"))).isEmpty();
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }
}
