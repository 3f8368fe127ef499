package io.strata.agent.task;

import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of one task, updated by transfer threads and read by heartbeats. Thread-safe. */
public final class ProgressTracker {

  private final Task task;
  private final Clock clock;
  private final LongAdder objectsDone = new LongAdder();
  private final LongAdder objectsTotal = new LongAdder();
  private final LongAdder bytesDone = new LongAdder();
  private final LongAdder bytesTotal = new LongAdder();
  private volatile boolean listing;
  private volatile TaskState state = TaskState.QUEUED;
  private volatile Instant started;
  private volatile Instant finished;

  public ProgressTracker(Task task, Clock clock) {
    this.task = task;
    this.clock = clock;
  }

  /** Records a state change; the clock starts on RUNNING and stops on a terminal state. */
  public void state(TaskState next) {
    if (next == TaskState.RUNNING && started == null) {
      started = clock.instant();
    }
    if (next.isTerminal() && finished == null) {
      finished = clock.instant();
    }
    state = next;
  }

  public TaskState state() {
    return state;
  }

  /** Marks the task as listing its range: until {@link #listed}, its totals are partial. */
  public void listing() {
    listing = true;
  }

  /** Marks the listing ended: the totals are whole, and an ETA can be given. */
  public void listed() {
    listing = false;
  }

  /**
   * Marks the task as listing until {@code items}, which yield the listing's work, are exhausted.
   *
   * @return the same items
   */
  public <T> Iterator<T> listing(Iterator<T> items) {
    listing();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = items.hasNext();
        if (!more) {
          listed();
        }
        return more;
      }

      @Override
      public T next() {
        return items.next();
      }
    };
  }

  /** Adds work discovered by listing. */
  public void addWork(long objects, long bytes) {
    objectsTotal.add(objects);
    bytesTotal.add(bytes);
  }

  public void objectDone() {
    objectsDone.increment();
  }

  public void bytesDone(long bytes) {
    bytesDone.add(bytes);
  }

  /** The current progress, with rate and ETA computed from the clock. */
  public TaskProgress snapshot() {
    Instant from = started;
    Instant to = finished != null ? finished : clock.instant();
    Duration elapsed = from == null ? Duration.ZERO : Duration.between(from, to);
    return TaskProgress.of(
        task.id(),
        task.type(),
        state,
        objectsDone.sum(),
        objectsTotal.sum(),
        bytesDone.sum(),
        bytesTotal.sum(),
        listing,
        elapsed);
  }
}
