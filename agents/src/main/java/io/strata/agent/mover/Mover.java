package io.strata.agent.mover;

import io.strata.agent.dicom.DicomClassifier;
import io.strata.agent.task.TaskChecks;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks against the pools. Owns the agent-wide resources of the mover: the pool clients,
 * bandwidth budgets and the transfer threads (their number is the agent's cap on concurrent
 * transfers). Thread-safe; must be closed.
 */
public final class Mover implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Mover.class);

  private final PoolClients clients;
  private final ExecutorService transferThreads;
  private final ShardScanner scanner;
  private final ShardCopier copier;
  private final ShardVerifier verifier;
  private final CopyDeleter deleter;
  private final EncryptionStatus encryption = new EncryptionStatus();

  /**
   * @param dicom classifies listed objects by their DICOM header, for scans that ask for it
   */
  public Mover(
      PoolRegistry pools,
      MoverSettings settings,
      MoverMetrics metrics,
      DicomClassifier dicom,
      Clock clock) {
    this.clients = new PoolClients(pools, settings);
    this.transferThreads =
        Executors.newFixedThreadPool(settings.maxConcurrentTransfers(), daemon("strata-transfer"));
    Retrier retrier = new Retrier(settings.retry(), metrics);
    Bandwidth bandwidth =
        new Bandwidth(settings.agentBytesPerSecond(), settings.poolBytesPerSecond());
    Transfers transfers = new Transfers(transferThreads, settings.maxConcurrentTransfers());
    ShardLister lister = new ShardLister(retrier);
    this.scanner = new ShardScanner(clients, lister, dicom, transfers);
    this.copier =
        new ShardCopier(
            clients,
            lister,
            new ObjectCopier(retrier, bandwidth, metrics, settings),
            retrier,
            transfers,
            metrics,
            encryption);
    this.verifier = new ShardVerifier(clients, lister, retrier, transfers, bandwidth, metrics);
    this.deleter = new CopyDeleter(clients, retrier, transfers, metrics, clock);
  }

  /**
   * Runs one task to its end. Never throws: every failure, including bugs, comes back as a FAILED
   * result with a reason, and cancellation as CANCELLED.
   */
  public TaskResult execute(TaskContext context) {
    Task task = context.task();
    try {
      Optional<String> problem = TaskChecks.problem(task);
      if (problem.isPresent()) {
        return TaskResult.failed(task, TaskFailure.permanent(problem.get()));
      }
      return switch (task.type()) {
        case SCAN -> {
          yield TaskResult.scanned(task, scanner.scan(context));
        }
        case COPY -> fromOutcomes(task, copier.copy(context));
        case VERIFY -> fromOutcomes(task, verifier.verify(context));
        case DELETE_COPY -> fromOutcomes(task, deleter.delete(context));
      };
    } catch (MoverException e) {
      return TaskResult.failed(task, e.failure());
    } catch (Retrier.CancelledException e) {
      return TaskResult.cancelled(task);
    } catch (RuntimeException | Error e) {
      LOG.error("task {} failed unexpectedly", task.id(), e);
      return TaskResult.failed(
          task,
          TaskFailure.permanent(
              "internal error in the agent: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()));
    }
  }

  /** Per pool, whether the copies written there under a policy's encryption were encrypted. */
  public EncryptionStatus encryption() {
    return encryption;
  }

  /**
   * SUCCEEDED unless a key FAILED, was REFUSED or was not reported encrypted as asked; the first
   * such key named gives the reason.
   */
  static TaskResult fromOutcomes(Task task, KeyTally tally) {
    TaskResult result = TaskResult.of(task, TaskState.SUCCEEDED, tally, null);
    long bad =
        result.count(KeyStatus.FAILED)
            + result.count(KeyStatus.REFUSED)
            + result.count(KeyStatus.UNENCRYPTED);
    if (bad == 0) {
      return result;
    }
    KeyOutcome first =
        result.keys().stream()
            .filter(
                o ->
                    o.status() == KeyStatus.FAILED
                        || o.status() == KeyStatus.REFUSED
                        || o.status() == KeyStatus.UNENCRYPTED)
            .min(Comparator.comparing(KeyOutcome::key, KeyOrder.COMPARATOR))
            .orElseThrow();
    String reason =
        bad
            + " of "
            + tally.keys()
            + " keys "
            + switch (first.status()) {
              case REFUSED -> "refused";
              case UNENCRYPTED -> "not reported encrypted";
              default -> "failed";
            }
            + "; first: "
            + first.key()
            + ": "
            + first.detail();
    return TaskResult.of(
        task, TaskState.FAILED, tally, new TaskFailure(FailureKind.PERMANENT, reason));
  }

  @Override
  public void close() {
    transferThreads.shutdownNow();
    clients.close();
  }

  static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
