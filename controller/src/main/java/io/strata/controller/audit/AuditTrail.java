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
 * <p>Thread-safe. Must be started once and eventually stopped.
 */
public final class AuditTrail implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final String replica;
  private final Clock clock;
  private final Path pending;
  private final Path headFile;
  private final AuditStore store;
  private final Duration flushInterval;
  private final ObjectMapper json;
  private final Object flushLock = new Object();
  private AuditChain.Head head;
  private ScheduledExecutorService flusher;
  private volatile String lastFlushError;

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
   * Appends a record for {@code event} and syncs it to the spool before returning.
   *
   * @throws IOException when the spool cannot be written; the record is then lost and the chain
   *     unchanged
   */
  public synchronized AuditRecord append(AuditEvent event) throws IOException {
    AuditRecord record = AuditChain.next(replica, head, event, clock.instant());
    writeSynced(
        pending.resolve("%012d.json".formatted(record.seq())), json.writeValueAsBytes(record));
    AuditChain.Head next = new AuditChain.Head(record.seq(), record.hash());
    writeSynced(headFile, json.writeValueAsBytes(next));
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

  /** Copies spooled records to the pools in order; stops at the first that no pool takes. */
  void flush() {
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
