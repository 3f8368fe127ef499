package io.strata.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata audit verify} on a replica's spool: it holds, and it names the first broken link.
 */
class AuditCliTest {
  @TempDir Path dir;
  private final ObjectMapper json =
      Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private Path spool;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Five records in the spool of a replica that reaches no pool. */
  @BeforeEach
  void writeChain() throws Exception {
    spool = dir.resolve("spool");
    AuditStore noPools = new AuditStore(List::of, "strata-system", json);
    AuditTrail trail =
        new AuditTrail(
            "replica-1",
            Clock.fixed(Instant.parse("2025-03-01T08:00:00Z"), ZoneOffset.UTC),
            spool,
            noPools,
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
  }

  private int verify() {
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    return AuditCli.run(new String[] {"verify", "--dir", spool.toString()}, print, print);
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private Path record(int seq) {
    return spool.resolve("pending").resolve("%012d.json".formatted(seq));
  }

  @Test
  void anUntouchedChainVerifies() {
    assertThat(verify()).isZero();
    assertThat(output()).contains("OK: 5 records").contains("replica-1=5");
  }

  @Test
  void aRecordWhoseContentWasChangedIsNamed() throws Exception {
    ObjectNode third = (ObjectNode) json.readTree(record(3).toFile());
    third.put("principal", "mallory");
    json.writeValue(record(3).toFile(), third);

    assertThat(verify()).isEqualTo(1);
    assertThat(output())
        .contains("BROKEN: chain replica-1: record 3")
        .contains("000000000003.json")
        .contains("does not match its hash");
  }

  @Test
  void aForgedRecordWithARecomputedHashBreaksTheNextLink() throws Exception {
    AuditRecord r = json.readValue(record(2).toFile(), AuditRecord.class);
    AuditRecord forged =
        AuditChain.withHash(
            new AuditRecord(
                r.replica(),
                r.seq(),
                r.time(),
                "mallory",
                r.role(),
                r.action(),
                r.target(),
                r.parametersSha256(),
                r.outcome(),
                r.source(),
                r.previousHash(),
                null));
    json.writeValue(record(2).toFile(), forged);

    assertThat(verify()).isEqualTo(1);
    assertThat(output())
        .contains("record 3")
        .contains("000000000003.json")
        .contains("does not name the hash of record 2");
  }

  @Test
  void aDeletedRecordIsNamed() throws Exception {
    Files.delete(record(4));

    assertThat(verify()).isEqualTo(1);
    assertThat(output()).contains("record 4").contains("missing");
  }

  @Test
  void aRecordThatIsNoLongerJsonIsNamed() throws Exception {
    Files.writeString(record(5), "{ garbage");

    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status = AuditCli.run(new String[] {"verify", "--dir", spool.toString()}, print, print);
    assertThat(status).isEqualTo(1);
    assertThat(output()).contains("000000000005.json");
  }

  @Test
  void aReplicaResumesItsChainFromTheSpoolHead() throws Exception {
    AuditTrail again =
        new AuditTrail(
            "replica-1",
            Clock.systemUTC(),
            spool,
            new AuditStore(List::of, "strata-system", json),
            Duration.ofMinutes(10),
            json);
    again.start();
    AuditRecord sixth =
        again.append(new AuditEvent("bob", "admin", "login", "/api/v1/session", "00", 200, "::1"));
    again.stop();

    assertThat(sixth.seq()).isEqualTo(6);
    assertThat(verify()).isZero();
  }

  @Test
  void usageErrorsExitWithTwo() {
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertThat(AuditCli.run(new String[] {}, print, print)).isEqualTo(2);
    assertThat(AuditCli.run(new String[] {"verify", "--endpoint"}, print, print)).isEqualTo(2);
    assertThat(output()).contains("usage: strata audit verify");
  }
}
