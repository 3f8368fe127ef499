package io.strata.agent.mover;

import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.ListedObject;
import java.util.Iterator;

/**
 * Decides, from a source and a target listing of the same range, which objects a copy must look at.
 * Pure: a merge join of two listings in {@link KeyOrder}.
 */
final class CopyPlan {

  /** What the listings alone say about one source object. */
  enum Decision {
    /** Absent on the target, or present with another size: copy. */
    COPY,
    /** Both listings carry the same size and SHA-256: already copied. */
    PRESENT,
    /** Same size but the listings cannot prove the content: the target's markers decide. */
    CHECK_TARGET
  }

  /**
   * One source object with the target's listing entry (null when absent or not listed). A named key
   * the source's listing did not show has a source of size -1, to be read by HEAD.
   */
  record Item(ListedObject source, ListedObject target, Decision decision) {

    /** Whether the source's listing showed the object (else its size and ETag are unknown). */
    boolean sourceListed() {
      return source.size() >= 0;
    }
  }

  private CopyPlan() {}

  /**
   * Joins the listings lazily: each item is decided when it is asked for, reading no further into
   * either listing than it needs. Not thread-safe.
   *
   * @throws IllegalStateException from {@code next} when a listing is not in key order
   */
  static Iterator<Item> join(Iterator<ListedObject> sources, Iterator<ListedObject> targets) {
    return new Iterator<>() {
      private ListedObject target;
      private boolean targetRead;
      private String previous;

      @Override
      public boolean hasNext() {
        return sources.hasNext();
      }

      @Override
      public Item next() {
        ListedObject source = sources.next();
        if (previous != null && KeyOrder.compare(previous, source.key()) >= 0) {
          throw new IllegalStateException("source listing is not in key order at " + source.key());
        }
        previous = source.key();
        if (!targetRead) {
          target = CopyPlan.next(targets, null);
          targetRead = true;
        }
        while (target != null && KeyOrder.compare(target.key(), source.key()) < 0) {
          target = CopyPlan.next(targets, target);
        }
        if (target != null && target.key().equals(source.key())) {
          Item item = new Item(source, target, decide(source, target));
          target = CopyPlan.next(targets, target);
          return item;
        }
        return new Item(source, null, Decision.COPY);
      }
    };
  }

  /**
   * The item for a key the task names, from what windows of the two listings show of it: decided as
   * in {@link #join} when both cover it; {@link Decision#CHECK_TARGET} (a HEAD of the target) when
   * the target's window does not reach it; and with the source unlisted (a HEAD of the source
   * first, which also tells an object deleted since the task was planned) when the source's window
   * does not show it.
   */
  static Item named(String key, ShardLister.Window sources, ShardLister.Window targets) {
    ListedObject source = sources.listed().get(key);
    if (source == null) {
      return new Item(new ListedObject(key, -1, null, null, null), null, Decision.CHECK_TARGET);
    }
    if (!targets.covers(key)) {
      return new Item(source, null, Decision.CHECK_TARGET);
    }
    ListedObject target = targets.listed().get(key);
    return new Item(source, target, decide(source, target));
  }

  static Decision decide(ListedObject source, ListedObject target) {
    if (target == null || target.size() != source.size()) {
      return Decision.COPY;
    }
    if (source.sha256() != null && target.sha256() != null) {
      if (!source.sha256().equalsIgnoreCase(target.sha256())) {
        return Decision.COPY;
      }
      // Equal markers prove equal content only while the source's marker is true to it, and a
      // tool that rewrote the source carrying its metadata along leaves an old one. The same ETag
      // (the MD5 of the content, on both sides) confirms it; else the target's record of the ETag
      // it was copied from decides (see ObjectCopier#isCopyOf).
      return source.etag() != null && source.etag().equals(target.etag())
          ? Decision.PRESENT
          : Decision.CHECK_TARGET;
    }
    return Decision.CHECK_TARGET;
  }

  private static ListedObject next(Iterator<ListedObject> it, ListedObject current) {
    if (!it.hasNext()) {
      return null;
    }
    ListedObject n = it.next();
    if (current != null && KeyOrder.compare(current.key(), n.key()) >= 0) {
      throw new IllegalStateException("target listing is not in key order at " + n.key());
    }
    return n;
  }
}
