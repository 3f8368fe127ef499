package io.strata.protocol.task;

import java.util.List;
import java.util.Objects;

/**
 * One unit of agent work on one shard, as handed out by the controller in heartbeat responses.
 * Every task is idempotent: running it again after a crash at any point finishes the work without
 * losing or duplicating anything.
 *
 * @param id task id, unique per controller; the runner keeps one execution per id at a time
 * @param type what to do
 * @param dataset bucket name, the same in every pool
 * @param range the shard's key range; keys outside it are never touched
 * @param sourcePool the pool read (scan, copy, verify) or emptied (delete-copy)
 * @param targetPool the pool written by a copy; null for other types
 * @param keys explicit keys to work on; empty means the whole range (for a copy: all objects
 *     missing or different on the target)
 * @param epoch cluster-map epoch the task was issued at
 * @param proof verified copies elsewhere; required for {@link TaskType#DELETE_COPY}
 * @param includeListing whether a scan returns its full listing besides the summary
 * @param repair for a copy of named keys: copy them even where the target seems to hold them,
 *     because a scrub found the target's content does not match its checksum
 * @param dicomHeaders for a scan that returns its listing: read the DICOM header of each object (a
 *     ranged GET of its first bytes, once per version of the object) and return it with the object;
 *     asked for datasets whose policies select or count age by DICOM attributes
 * @param encryption for a copy: the server-side encryption its writes ask of the target, which must
 *     report it on read-back; null for none
 * @param retainUntil for a copy of named keys: the retain-until each copy it writes carries ({@code
 *     strata-retain-until}, and the pool's object lock where it has one), per key; null when no
 *     copy carries one
 */
public record Task(
    String id,
    TaskType type,
    String dataset,
    KeyRange range,
    String sourcePool,
    String targetPool,
    List<String> keys,
    long epoch,
    DeleteProof proof,
    boolean includeListing,
    boolean repair,
    boolean dicomHeaders,
    CopyEncryption encryption,
    RetainUntil retainUntil) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    range = range == null ? KeyRange.ALL : range;
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /** A scan of {@code pool}. */
  public static Task scan(String id, String dataset, KeyRange range, String pool, long epoch) {
    return new Task(
        id,
        TaskType.SCAN,
        dataset,
        range,
        pool,
        null,
        List.of(),
        epoch,
        null,
        false,
        false,
        false,
        null,
        null);
  }

  /** A copy of all missing objects of the range from {@code source} to {@code target}. */
  public static Task copy(
      String id, String dataset, KeyRange range, String source, String target, long epoch) {
    return new Task(
        id,
        TaskType.COPY,
        dataset,
        range,
        source,
        target,
        List.of(),
        epoch,
        null,
        false,
        false,
        false,
        null,
        null);
  }

  /** A scrub of every object of the range in {@code pool}. */
  public static Task verify(String id, String dataset, KeyRange range, String pool, long epoch) {
    return new Task(
        id,
        TaskType.VERIFY,
        dataset,
        range,
        pool,
        null,
        List.of(),
        epoch,
        null,
        false,
        false,
        false,
        null,
        null);
  }

  /** A deletion of the keys of {@code proof} from {@code pool}. */
  public static Task deleteCopy(
      String id, String dataset, KeyRange range, String pool, long epoch, DeleteProof proof) {
    return new Task(
        id,
        TaskType.DELETE_COPY,
        dataset,
        range,
        pool,
        null,
        List.of(),
        epoch,
        proof,
        false,
        false,
        false,
        null,
        null);
  }

  /**
   * This task restricted to {@code explicitKeys}, without retain-until dates (they were of the keys
   * it had).
   */
  public Task withKeys(List<String> explicitKeys) {
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        explicitKeys,
        epoch,
        proof,
        includeListing,
        repair,
        dicomHeaders,
        encryption,
        null);
  }

  /** This task with the full listing requested (scans only). */
  public Task withListing() {
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        keys,
        epoch,
        proof,
        true,
        repair,
        dicomHeaders,
        encryption,
        retainUntil);
  }

  /** This scan with the DICOM header of each listed object read (see {@code dicomHeaders}). */
  public Task withDicomHeaders() {
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        keys,
        epoch,
        proof,
        includeListing,
        repair,
        true,
        encryption,
        retainUntil);
  }

  /**
   * This copy as a repair: its named keys are copied even where the target seems to hold them.
   *
   * @throws IllegalStateException unless this is a copy of named keys
   */
  public Task asRepair() {
    if (type != TaskType.COPY || keys.isEmpty()) {
      throw new IllegalStateException("only a copy of named keys repairs: " + id);
    }
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        keys,
        epoch,
        proof,
        includeListing,
        true,
        dicomHeaders,
        encryption,
        retainUntil);
  }

  /**
   * This copy with each named key's copy retained until {@code until} says (null for none).
   *
   * @throws IllegalArgumentException unless the runs cover exactly this task's keys
   */
  public Task withRetainUntil(RetainUntil until) {
    if (until != null) {
      until.byKey(keys);
    }
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        keys,
        epoch,
        proof,
        includeListing,
        repair,
        dicomHeaders,
        encryption,
        until);
  }

  /** This copy with its writes asking {@code sse} of the target (null for none). */
  public Task withEncryption(CopyEncryption sse) {
    return new Task(
        id,
        type,
        dataset,
        range,
        sourcePool,
        targetPool,
        keys,
        epoch,
        proof,
        includeListing,
        repair,
        dicomHeaders,
        sse,
        retainUntil);
  }
}
