package io.strata.agent.mover;

import io.strata.agent.task.CancellationToken;
import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Lists one shard's key range in one pool, page by page with {@code start-after} only (see {@link
 * PoolClient#listPage}), asking for the prefix that every key of the range shares (see {@link
 * KeyOrder#commonPrefix}), if any, so a server need not look at the rest of the bucket. Every entry
 * the server lists as an object is one, an empty one named {@code folder/} too (MinIO and AWS store
 * such folder markers); a filesystem-backed server's directories come back as common prefixes,
 * which the listing leaves out.
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
    String prefix = range.end().isEmpty() ? "" : KeyOrder.commonPrefix(range.start(), range.end());
    return stream(pool, bucket, range, prefix, cancellation);
  }

  /**
   * {@link #stream(PoolClient, String, KeyRange, CancellationToken)}, asking the server only for
   * keys that start with {@code prefix}, which every key the caller wants must start with.
   */
  private Iterator<ListedObject> stream(
      PoolClient pool,
      String bucket,
      KeyRange range,
      String prefix,
      CancellationToken cancellation) {
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
            } else if (range.contains(object.key())) {
              next = object;
            }
          } else if (morePages) {
            String after = startAfter;
            PoolClient.Page fetched =
                retrier.call(
                    pool.poolId(),
                    "LIST " + bucket + " after " + (after == null ? "<start>" : after),
                    cancellation,
                    () -> pool.listPage(bucket, prefix, after, PAGE_SIZE));
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

  /**
   * What a listing shows of some named keys: those it listed, and how far it reached. A key the
   * window covers but did not list is not in the pool (as of the listing).
   *
   * @param listed the named keys listed, with their listing entries
   * @param reached the last key the listing read, or null when it read to the end of the range
   */
  record Window(Map<String, ListedObject> listed, String reached) {

    boolean covers(String key) {
      return reached == null || KeyOrder.compare(key, reached) <= 0;
    }
  }

  /**
   * Lists {@code range} from the first of {@code keys} to the last, but reads at most {@code
   * budget} objects (so at most {@code budget / PAGE_SIZE + 1} pages): named keys spread thinly
   * over a large range are cheaper to read one by one than by listing all that lies between them.
   *
   * @param keys named keys of the range, in {@link KeyOrder}, not empty
   */
  Window window(
      PoolClient pool,
      String bucket,
      KeyRange range,
      List<String> keys,
      int budget,
      CancellationToken cancellation) {
    Set<String> named = new HashSet<>(keys);
    String last = keys.get(keys.size() - 1);
    // Every key from the first to the last starts with their common prefix.
    Iterator<ListedObject> listing =
        stream(
            pool,
            bucket,
            new KeyRange(keys.get(0), range.end()),
            KeyOrder.commonPrefix(keys.get(0), last),
            cancellation);
    Map<String, ListedObject> listed = new HashMap<>();
    String reached = ""; // covers no key until one is read
    for (int read = 0; read < budget; read++) {
      if (!listing.hasNext()) {
        return new Window(listed, null);
      }
      ListedObject object = listing.next();
      if (KeyOrder.compare(object.key(), last) > 0) {
        return new Window(listed, null);
      }
      if (named.contains(object.key())) {
        listed.put(object.key(), object);
      }
      reached = object.key();
    }
    return new Window(listed, reached);
  }
}
