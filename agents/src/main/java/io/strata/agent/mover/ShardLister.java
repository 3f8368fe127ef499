package io.strata.agent.mover;

import io.strata.agent.task.KeyOrder;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.ListedObject;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Lists one shard's key range in one pool, page by page with {@code start-after} only (see {@link
 * PoolClient#listPage}). Directory placeholders (keys ending in {@code /} with size 0, which
 * filesystem-backed servers list) are not objects and are skipped.
 */
final class ShardLister {

  static final int PAGE_SIZE = 1000;

  private final Retrier retrier;

  ShardLister(Retrier retrier) {
    this.retrier = retrier;
  }

  /** Feeds every object of {@code range} to {@code sink}, in listing order. */
  void list(
      PoolClient pool,
      String bucket,
      KeyRange range,
      CancellationToken cancellation,
      Consumer<ListedObject> sink) {
    stream(pool, bucket, range, cancellation).forEachRemaining(sink);
  }

  /**
   * The objects of {@code range} in listing order, fetched a page at a time as they are consumed,
   * so that whoever consumes them can start on the first page while later pages are still on the
   * server. Not thread-safe; {@code hasNext} and {@code next} throw what the listing does (after
   * retries).
   */
  Iterator<ListedObject> stream(
      PoolClient pool, String bucket, KeyRange range, CancellationToken cancellation) {
    return new Iterator<>() {
      private Iterator<ListedObject> page = Collections.emptyIterator();
      private String startAfter = KeyOrder.startAfterFor(range.start());
      private boolean morePages = true;
      private ListedObject next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (page.hasNext()) {
            ListedObject object = page.next();
            if (range.isPastEnd(object.key())) {
              morePages = false;
              page = Collections.emptyIterator();
            } else if (range.contains(object.key()) && !isDirectoryPlaceholder(object)) {
              next = object;
            }
          } else if (morePages) {
            String after = startAfter;
            PoolClient.Page fetched =
                retrier.call(
                    pool.poolId(),
                    "LIST " + bucket + " after " + (after == null ? "<start>" : after),
                    cancellation,
                    () -> pool.listPage(bucket, after, PAGE_SIZE));
            page = fetched.objects().iterator();
            morePages = fetched.truncated() && fetched.lastKey() != null;
            startAfter = fetched.lastKey();
          } else {
            return false;
          }
        }
        return true;
      }

      @Override
      public ListedObject next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ListedObject object = next;
        next = null;
        return object;
      }
    };
  }

  static boolean isDirectoryPlaceholder(ListedObject object) {
    return object.key().endsWith("/") && object.size() == 0;
  }
}
