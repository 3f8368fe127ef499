package io.strata.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.runtime.DaemonScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's chain of audit records. {@link #append} writes each record to the local spool
 * directory (synced to disk) before it returns; a flusher then copies spooled records, in sequence
 * order, to the system dataset on the pools and deletes them from the spool. While no pool is
 * reachable, records wait in the spool and leave it in order once one is.
 *
 * <p>The chain's head (last sequence number and hash) is kept in the spool directory, and on the
 * pools after each flush; a replica that lost its spool directory resumes from the pools' head.
 *
 * <p>The trail fails closed: before the API makes a change, it {@link #reserve}s room for the
 * change's record, a synced file in the spool as large as any record may be, and refuses the change
 * when the spool cannot take it (a full or failed disk). The record's append frees the reservation
 * just before it writes, so the record finds the room the change was granted on. {@link
 * #writable()} says whether the last reservation, append or probe succeeded; while it is false, the
 * flusher probes the spool with a reservation at each flush interval.
 *
 * <p>Thread-safe. Must be started once and eventually stopped.
 */
public final class AuditTrail implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final String replica;
  private final Clock clock;

  /** Room reserved for one record: more than a record of the longest URL Jetty accepts. */
  static final int RESERVATION_BYTES = 16 * 1024;

  private final Path pending;
  private final Path reserved;
  private final Path headFile;
  private final AuditStore store;
  private final Duration flushInterval;
  private final ObjectMapper json;
  private final Object flushLock = new Object();
  private AuditChain.Head head;
  private ScheduledExecutorService flusher;
  private volatile String lastFlushError;
  private volatile boolean writable = true;

  /**
   * Room for one record, held in the spool from before a change until its record is appended (or
   * the call ends without one). Releasing is idempotent.
   */
  public final class Reservation implements AutoCloseable {
    private final Path file;
    private boolean released;

    private Reservation(Path file) {
      this.file = file;
    }

    /** Frees the room; the record written next takes it. */
    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.warn("could not free an audit reservation {}: {}", file, e.toString());
        }
      }
    }
  }

  public AuditTrail(
      String replica,
      Clock clock,
      Path spoolDir,
      AuditStore store,
      Duration flushInterval,
      ObjectMapper json) {
    this.replica = replica;
    this.clock = clock;
    this.pending = spoolDir.resolve("pending");
    this.reserved = spoolDir.resolve("reserved");
    this.headFile = spoolDir.resolve("head.json");
    this.store = store;
    this.flushInterval = flushInterval;
    this.json = json;
  }

  @Override
  public synchronized void start() throws IOException {
    if (flusher != null) {
      throw new IllegalStateException("audit trail of " + replica + " already started");
    }
    Files.createDirectories(pending);
    Files.createDirectories(reserved);
    // Reservations of calls a crash interrupted: those calls never got an answer.
    try (Stream<Path> left = Files.list(reserved)) {
      for (Path file : left.toList()) {
        Files.deleteIfExists(file);
      }
    }
    AuditChain.Head local =
        Files.exists(headFile)
            ? json.readValue(headFile.toFile(), AuditChain.Head.class)
            : AuditChain.Head.EMPTY;
    head = local.seq() > 0 ? local : store.head(replica).orElse(AuditChain.Head.EMPTY);
    LOG.info("audit chain of {} resumes after record {}", replica, head.seq());
    flusher = DaemonScheduler.named("audit-flusher");
    flusher.scheduleWithFixedDelay(this::flush, 0, flushInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (flusher != null) {
      flusher.shutdown();
      flusher.awaitTermination(10, TimeUnit.SECONDS);
      flusher = null;
      flush();
    }
  }

  /**
   * Reserves room in the spool for the record of a change about to be made, synced to disk.
   *
   * @throws IOException when the spool cannot take it: the change must then be refused
   */
  public Reservation reserve() throws IOException {
    Path file = reserved.resolve(java.util.UUID.randomUUID() + ".reserved");
    try {
      Files.write(
          file,
          new byte[RESERVATION_BYTES],
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (IOException | RuntimeException e) {
      becameUnwritable(e);
      try {
        Files.deleteIfExists(file);
      } catch (IOException | RuntimeException gone) {
        // The directory itself is gone or unreadable: nothing was left in it.
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
    becameWritable();
    return new Reservation(file);
  }

  /**
   * Whether the spool took the last reservation, record or probe: false while changes are refused.
   */
  public boolean writable() {
    return writable;
  }

  /**
   * Appends a record for {@code event} and syncs it to the spool before returning.
   *
   * @throws IOException when the spool cannot be written; the record is then lost and the chain
   *     unchanged
   */
  public AuditRecord append(AuditEvent event) throws IOException {
    return append(event, null);
  }

  /**
   * Appends a record for {@code event} in the room {@code reservation} held (freed first), and
   * syncs it to the spool before returning.
   *
   * @param reservation the room reserved before the change; null when none was
   * @throws IOException when the spool cannot be written; the record is then lost and the chain
   *     unchanged
   */
  public synchronized AuditRecord append(AuditEvent event, Reservation reservation)
      throws IOException {
    if (reservation != null) {
      reservation.close();
    }
    AuditRecord record = AuditChain.next(replica, head, event, clock.instant());
    AuditChain.Head next = new AuditChain.Head(record.seq(), record.hash());
    try {
      writeSynced(
          pending.resolve("%012d.json".formatted(record.seq())), json.writeValueAsBytes(record));
      writeSynced(headFile, json.writeValueAsBytes(next));
    } catch (IOException | RuntimeException e) {
      becameUnwritable(e);
      throw e;
    }
    becameWritable();
    head = next;
    if (flusher != null) {
      flusher.execute(this::flush);
    }
    return record;
  }

  private static void writeSynced(Path file, byte[] data) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(
        tmp,
        data,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void becameUnwritable(Exception e) {
    if (writable) {
      LOG.error(
          "the audit spool cannot be written ({}): changes through the API are refused (503)"
              + " until it can",
          e.toString());
    }
    writable = false;
  }

  private void becameWritable() {
    if (!writable) {
      LOG.info("the audit spool can be written again: changes through the API are accepted");
    }
    writable = true;
  }

  /**
   * Copies spooled records to the pools in order; stops at the first that no pool takes. While the
   * spool is not writable, first probes it with a reservation.
   */
  void flush() {
    if (!writable) {
      try {
        reserve().close();
      } catch (IOException e) {
        // Still not writable: said once, when it became so.
      }
    }
    synchronized (flushLock) {
      AuditChain.Head flushed = null;
      for (Path file : spooledFiles()) {
        try {
          byte[] data = Files.readAllBytes(file);
          AuditRecord record = json.readValue(data, AuditRecord.class);
          store.put(AuditChain.key(record), data);
          Files.delete(file);
          flushed = new AuditChain.Head(record.seq(), record.hash());
        } catch (IOException | RuntimeException e) {
          String message = e.getMessage();
          if (!String.valueOf(message).equals(lastFlushError)) {
            LOG.warn("audit records stay in the spool until a pool takes them: {}", message);
          }
          lastFlushError = message;
          break;
        }
      }
      if (flushed != null) {
        try {
          store.putHead(replica, flushed);
          if (lastFlushError != null) {
            LOG.info("audit records flushed to the pools again");
          }
          lastFlushError = null;
        } catch (IOException e) {
          // The records are out; the head follows with the next flush.
        }
      }
    }
  }

  private List<Path> spooledFiles() {
    try (Stream<Path> files = Files.list(pending)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Records still in the spool, by the key they will have on the pools. */
  public Map<String, AuditRecord> spooled() {
    Map<String, AuditRecord> out = new TreeMap<>();
    for (Path file : spooledFiles()) {
      try {
        AuditRecord r = json.readValue(file.toFile(), AuditRecord.class);
        out.put(AuditChain.key(r), r);
      } catch (IOException e) {
        // Flushed and deleted meanwhile.
      }
    }
    return out;
  }

  public AuditStore store() {
    return store;
  }

  public String replica() {
    return replica;
  }

  /** The chain's last record, or {@link AuditChain.Head#EMPTY}. */
  public synchronized AuditChain.Head head() {
    return head;
  }

  /** Why the last flush stopped; empty when it flushed everything. */
  public Optional<String> flushError() {
    return Optional.ofNullable(lastFlushError);
  }
}
