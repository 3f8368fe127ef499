package io.strata.controller.audit;

import io.strata.controller.security.Hashes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hash chain of the audit trail, as pure functions: how a record's hash is computed, how the
 * next record follows the last, where records are kept, and how a chain is checked.
 *
 * <p>Each controller replica keeps its own chain (records carry the replica id and a sequence of
 * their own), so replicas never coordinate to append; a verifier checks each chain separately.
 */
public final class AuditChain {
  /** The previous hash of a chain's first record. */
  public static final String GENESIS = "0".repeat(64);

  /** Where the records of a chain live in the system dataset: {@code audit/yyyy/mm/dd/replica/}. */
  public static final String PREFIX = "audit/";

  /** The last record of a chain: what the next one follows. */
  public record Head(long seq, String hash) {
    public static final Head EMPTY = new Head(0, GENESIS);
  }

  /**
   * The first broken link of a chain.
   *
   * @param replica the chain
   * @param seq the sequence number of the first record that does not verify
   * @param key where that record is kept
   * @param reason what is wrong with it
   */
  public record Break(String replica, long seq, String key, String reason) {
    @Override
    public String toString() {
      return "chain " + replica + ": record " + seq + " (" + key + "): " + reason;
    }
  }

  private AuditChain() {}

  /** The record that follows {@code head} for {@code event} at {@code time}. */
  public static AuditRecord next(String replica, Head head, AuditEvent event, Instant time) {
    AuditRecord unsigned =
        new AuditRecord(
            replica,
            head.seq() + 1,
            time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
            event.principal(),
            event.role(),
            event.action(),
            event.target(),
            event.parametersSha256(),
            event.outcome(),
            event.source(),
            head.hash(),
            null);
    return withHash(unsigned);
  }

  static AuditRecord withHash(AuditRecord r) {
    return new AuditRecord(
        r.replica(),
        r.seq(),
        r.time(),
        r.principal(),
        r.role(),
        r.action(),
        r.target(),
        r.parametersSha256(),
        r.outcome(),
        r.source(),
        r.previousHash(),
        hashOf(r));
  }

  /**
   * SHA-256 over every field but {@code hash}, each written as its length, a colon and its text, so
   * that no two different records share an encoding.
   */
  public static String hashOf(AuditRecord r) {
    StringBuilder sb = new StringBuilder();
    for (Object field :
        new Object[] {
          r.replica(),
          r.seq(),
          r.time(),
          r.principal(),
          r.role(),
          r.action(),
          r.target(),
          r.parametersSha256(),
          r.outcome(),
          r.source(),
          r.previousHash()
        }) {
      String text = field == null ? "" : field.toString();
      sb.append(text.length()).append(':').append(text).append(';');
    }
    return Hashes.sha256(sb.toString());
  }

  /** The object key of a record: {@code audit/yyyy/mm/dd/<replica>/<seq, 12 digits>.json}. */
  public static String key(AuditRecord r) {
    ZonedDateTime t = r.time().atZone(ZoneOffset.UTC);
    return "%s%04d/%02d/%02d/%s/%012d.json"
        .formatted(
            PREFIX, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), safe(r.replica()), r.seq());
  }

  /** The replica id as it may appear in a key. */
  public static String safe(String replica) {
    return replica.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Checks every chain in {@code records} (keyed by where each was read from): each record's hash
   * must match its content, each must name the hash of the one before, and sequence numbers must
   * run from 1 without a gap.
   *
   * @return the first broken link of the first broken chain (chains in replica order); empty when
   *     every chain holds
   */
  public static Optional<Break> verify(Map<String, AuditRecord> records) {
    Map<String, List<Map.Entry<String, AuditRecord>>> chains = new TreeMap<>();
    for (Map.Entry<String, AuditRecord> e : records.entrySet()) {
      chains.computeIfAbsent(e.getValue().replica(), k -> new ArrayList<>()).add(e);
    }
    for (var chain : chains.entrySet()) {
      List<Map.Entry<String, AuditRecord>> list = chain.getValue();
      list.sort(Comparator.comparingLong(e -> e.getValue().seq()));
      Head previous = Head.EMPTY;
      for (Map.Entry<String, AuditRecord> e : list) {
        AuditRecord r = e.getValue();
        String key = e.getKey();
        if (r.seq() != previous.seq() + 1) {
          return Optional.of(
              new Break(
                  chain.getKey(),
                  previous.seq() + 1,
                  key,
                  r.seq() == previous.seq()
                      ? "sequence number " + r.seq() + " appears twice"
                      : "missing: record " + previous.seq() + " is followed by record " + r.seq()));
        }
        if (r.hash() == null || !r.hash().equals(hashOf(r))) {
          return Optional.of(
              new Break(chain.getKey(), r.seq(), key, "its content does not match its hash"));
        }
        if (!previous.hash().equals(r.previousHash())) {
          return Optional.of(
              new Break(
                  chain.getKey(),
                  r.seq(),
                  key,
                  "it does not name the hash of record " + previous.seq() + " before it"));
        }
        previous = new Head(r.seq(), r.hash());
      }
    }
    return Optional.empty();
  }
}
