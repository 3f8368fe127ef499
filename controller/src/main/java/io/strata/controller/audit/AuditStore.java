package io.strata.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.controller.s3.SystemDataset;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The audit trail's objects in the system dataset. Records go to the first pool that takes them, in
 * cluster-map order; reads merge every reachable pool, so a chain that moved to another pool while
 * the first was down reads whole. Thread-safe.
 */
public final class AuditStore {
  private static final String HEADS = "audit-heads/";

  private final SystemDataset dataset;
  private final ObjectMapper json;

  public AuditStore(SystemDataset dataset, ObjectMapper json) {
    this.dataset = dataset;
    this.json = json;
  }

  public AuditStore(
      Supplier<List<SystemDataset.Target>> targets, String bucket, ObjectMapper json) {
    this(new SystemDataset(targets, bucket), json);
  }

  /** The system dataset the records are kept in. */
  public SystemDataset dataset() {
    return dataset;
  }

  /**
   * Writes one object to the first pool that takes it.
   *
   * @return the pool's id
   * @throws IOException when no pool took it, with each pool's reason
   */
  public String put(String key, byte[] data) throws IOException {
    return dataset.put(key, data);
  }

  /** Records the head of a chain, so that a replica that lost its spool resumes it. */
  public void putHead(String replica, AuditChain.Head head) throws IOException {
    put(HEADS + AuditChain.safe(replica) + ".json", json.writeValueAsBytes(head));
  }

  /** The furthest head of {@code replica}'s chain on any reachable pool. */
  public Optional<AuditChain.Head> head(String replica) {
    AuditChain.Head[] best = {null};
    dataset.readEach(
        HEADS + AuditChain.safe(replica) + ".json",
        (key, in) -> {
          AuditChain.Head h = json.readValue(in, AuditChain.Head.class);
          if (best[0] == null || h.seq() > best[0].seq()) {
            best[0] = h;
          }
        });
    return Optional.ofNullable(best[0]);
  }

  /**
   * Every record kept on days {@code from}..{@code to} (UTC), by key, from every reachable pool.
   */
  public Map<String, AuditRecord> list(Instant from, Instant to) {
    Map<String, AuditRecord> out = new TreeMap<>();
    LocalDate last = to.atZone(ZoneOffset.UTC).toLocalDate();
    for (LocalDate d = from.atZone(ZoneOffset.UTC).toLocalDate();
        !d.isAfter(last);
        d = d.plusDays(1)) {
      String prefix =
          "%s%04d/%02d/%02d/"
              .formatted(AuditChain.PREFIX, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
      try {
        readAll(prefix, out, false);
      } catch (IOException e) {
        throw new IllegalStateException("lenient reads do not throw", e);
      }
    }
    return out;
  }

  /**
   * Every record of every chain, by key, for verification.
   *
   * @throws IOException when a pool or an object cannot be read: a verifier must not skip records
   */
  public Map<String, AuditRecord> listAll() throws IOException {
    Map<String, AuditRecord> out = new TreeMap<>();
    readAll(AuditChain.PREFIX, out, true);
    return out;
  }

  private void readAll(String prefix, Map<String, AuditRecord> out, boolean strict)
      throws IOException {
    dataset.readAll(
        prefix,
        key -> key.endsWith(".json") && !out.containsKey(key),
        (key, in) -> out.put(key, json.readValue(in, AuditRecord.class)),
        strict);
  }
}
