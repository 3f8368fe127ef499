package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.recall.Recall;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recalls in ZooKeeper under {@link ZkPaths#RECALLS}, one node per recall, written once and
 * never changed, so a new leader resumes every recall from here. At most {@link #MAX_RECALLS}: a
 * recall names a study, a patient or a prefix, not an object, so a thousand cover any day of
 * follow-up visits and screening runs. Any replica adds recalls (an operator's call); the leader
 * forgets them a day after their hold ends.
 *
 * <p>Read through {@link ZkRecords}: one {@code exists} per call in the steady state, whatever the
 * number of recalls. Thread-safe.
 */
public final class RecallStore {
  private static final Logger LOG = LoggerFactory.getLogger(RecallStore.class);

  /** Recalls kept at most, those whose hold has ended included. */
  public static final int MAX_RECALLS = 1_000;

  /** How long a recall is still shown once its hold has ended. */
  public static final Duration KEPT_AFTER_HOLD = Duration.ofDays(1);

  /** The store already holds {@link #MAX_RECALLS} recalls. */
  public static final class FullException extends Exception {
    FullException() {
      super(
          "there are "
              + MAX_RECALLS
              + " recalls already, the most kept; they are forgotten a day after their hold ends");
    }
  }

  private final ZkRecords<Recall> records;

  public RecallStore(CuratorFramework curator, ObjectMapper json) {
    this.records = new ZkRecords<>(curator, json, ZkPaths.RECALLS, Recall.class);
  }

  /** Every recall, oldest first. */
  public List<Recall> all() throws Exception {
    List<Recall> out = records.all();
    out.sort(Comparator.comparing(Recall::createdAt).thenComparing(Recall::id));
    return out;
  }

  /** The recall {@code id}, if it is kept. */
  public Optional<Recall> get(String id) throws Exception {
    return Optional.ofNullable(records.get(id));
  }

  /** The recalls whose copies are held on the hot tier at {@code now}. */
  public List<Recall> holding(Instant now) throws Exception {
    return all().stream().filter(r -> r.holdsAt(now)).toList();
  }

  /**
   * Stores {@code recall}. Two replicas adding at once may pass {@link #MAX_RECALLS} by one each.
   *
   * @throws FullException when {@link #MAX_RECALLS} are kept already
   */
  public synchronized void add(Recall recall) throws Exception {
    if (records.size() >= MAX_RECALLS) {
      throw new FullException();
    }
    records.create(recall.id(), recall);
  }

  /** Deletes the recalls whose hold ended {@link #KEPT_AFTER_HOLD} before {@code now}. */
  public void forgetEnded(Instant now) throws Exception {
    for (Recall recall : all()) {
      if (!recall.holdUntil().plus(KEPT_AFTER_HOLD).isAfter(now)) {
        if (records.delete(recall.id())) {
          LOG.info("recall {} forgotten: its hold ended at {}", recall.id(), recall.holdUntil());
        }
      }
    }
  }
}
