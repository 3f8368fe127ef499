package io.strata.controller.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.strata.controller.audit.AuditEvent;
import io.strata.controller.audit.AuditRecord;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.s3.SystemDataset;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.fleet.expiry.Expiry;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The destruction certificate of each expiry done: what was destroyed (the dataset, the policy and
 * the expiry dates it covered), when, under which legal basis, approved by whom, how many objects
 * it destroyed, and what the agents reported deleting, copies and bytes, pool by pool. Kept as JSON
 * in the system dataset under {@link #PREFIX}, and anchored in the hash-chained audit trail: a
 * record {@code destroy} whose parameters digest is the SHA-256 of the certificate as stored, so
 * that an altered certificate no longer matches its record. Thread-safe.
 */
public final class DestructionCertificates implements Reconciler.Certifier {
  /** Where the certificates are kept in the system dataset. */
  public static final String PREFIX = "certificates/destruction/";

  /**
   * A destruction certificate.
   *
   * @param expiry the approved expiry's id
   * @param dataset the dataset data was destroyed in
   * @param policy the policy whose expiry was carried out
   * @param cutoff the latest expiry date covered
   * @param basis the legal basis, as the policy states its retention
   * @param reason the approver's words
   * @param approvedBy who approved it
   * @param approvedAt when
   * @param completedAt when the last copy was found gone
   * @param objectsDestroyed objects destroyed: those it covered, counted shard by shard before any
   *     was deleted, less those legal holds kept
   * @param copiesDestroyed copies the agents reported deleted
   * @param bytesDestroyed their bytes
   * @param byPool per pool: copies and bytes deleted there
   * @param heldObjects objects covered that legal holds kept
   */
  public record Certificate(
      String expiry,
      String dataset,
      String policy,
      Instant cutoff,
      String basis,
      String reason,
      String approvedBy,
      Instant approvedAt,
      Instant completedAt,
      long objectsDestroyed,
      long copiesDestroyed,
      long bytesDestroyed,
      Map<String, PoolCount> byPool,
      long heldObjects) {}

  /** Copies and bytes deleted on one pool. */
  public record PoolCount(long copies, long bytes) {}

  private final SystemDataset dataset;
  private final AuditTrail trail;
  private final ObjectMapper json;

  public DestructionCertificates(SystemDataset dataset, AuditTrail trail, ObjectMapper json) {
    this.dataset = dataset;
    this.trail = trail;
    this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /**
   * Writes the certificate and its audit record, once: a certificate written before a crash (its
   * expiry still open) is kept as it was, not written anew, and its audit record appended only if
   * the trail holds none with its digest, so that certifying again after a crash between any two
   * steps leaves one certificate and one {@code destroy} record.
   */
  @Override
  public void certify(
      Expiry e, ExpiryStore.Tally tally, long objectsDestroyed, long heldObjects, Instant at)
      throws Exception {
    Optional<byte[]> kept = read(e.id());
    byte[] document;
    if (kept.isPresent()) {
      document = kept.get();
    } else {
      Map<String, PoolCount> pools = new TreeMap<>();
      tally.byPool().forEach((pool, v) -> pools.put(pool, new PoolCount(v[0], v[1])));
      Certificate c =
          new Certificate(
              e.id(),
              e.dataset(),
              e.policy(),
              e.cutoff(),
              e.basis(),
              e.reason(),
              e.approvedBy(),
              e.approvedAt(),
              at,
              objectsDestroyed,
              tally.copies(),
              tally.bytes(),
              pools,
              heldObjects);
      document = json.writeValueAsBytes(c);
      dataset.put(PREFIX + e.id() + ".json", document);
    }
    String digest = sha256(document);
    if (kept.isPresent() && anchored(digest, completedAt(document, at), at)) {
      return;
    }
    trail.append(
        new AuditEvent(
            e.approvedBy(),
            "-",
            "destroy",
            "expiry " + e.id() + ": " + e.dataset() + " under " + e.policy(),
            digest,
            200,
            "reconciler"));
  }

  /**
   * Whether the trail holds a {@code destroy} record of a certificate with this digest, appended
   * from {@code since} to {@code until}: in this replica's spool, or on the pools. A record still
   * in the spool of a replica that crashed is not seen until that replica flushes it.
   */
  private boolean anchored(String digest, Instant since, Instant until) {
    java.util.function.Predicate<AuditRecord> destroys =
        r -> "destroy".equals(r.action()) && digest.equals(r.parametersSha256());
    return trail.spooled().values().stream().anyMatch(destroys)
        || trail.store().list(since, until).values().stream().anyMatch(destroys);
  }

  /** When the certificate says its expiry completed; {@code otherwise} when it does not read. */
  private Instant completedAt(byte[] document, Instant otherwise) {
    try {
      return json.readValue(document, Certificate.class).completedAt();
    } catch (Exception unreadable) {
      return otherwise;
    }
  }

  /** The ids of the certificates kept, in order. */
  public List<String> ids() {
    return dataset.list(PREFIX).stream()
        .map(l -> l.key().substring(PREFIX.length()))
        .filter(k -> k.endsWith(".json"))
        .map(k -> k.substring(0, k.length() - ".json".length()))
        .toList();
  }

  /** A certificate as it was stored, if a pool has it. */
  public Optional<byte[]> read(String id) {
    ByteArrayOutputStream[] found = {null};
    dataset.readEach(
        PREFIX + id + ".json",
        (key, in) -> {
          if (found[0] == null) {
            found[0] = new ByteArrayOutputStream();
            in.transferTo(found[0]);
          }
        });
    return Optional.ofNullable(found[0]).map(ByteArrayOutputStream::toByteArray);
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
