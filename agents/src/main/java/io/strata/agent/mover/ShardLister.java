package io.strata.agent.mover;

import io.strata.agent.task.KeyOrder;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.ListedObject;
import java.util.ArrayList;
import java.util.List;
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
    String startAfter = KeyOrder.startAfterFor(range.start());
    while (true) {
      String after = startAfter;
      PoolClient.Page page =
          retrier.call(
              pool.poolId(),
              "LIST " + bucket + " after " + (after == null ? "<start>" : after),
              cancellation,
              () -> pool.listPage(bucket, after, PAGE_SIZE));
      for (ListedObject object : page.objects()) {
        if (range.isPastEnd(object.key())) {
          return;
        }
        if (range.contains(object.key()) && !isDirectoryPlaceholder(object)) {
          sink.accept(object);
        }
      }
      if (!page.truncated() || page.lastKey() == null) {
        return;
      }
      startAfter = page.lastKey();
    }
  }

  /** Every object of {@code range}, in listing order. */
  List<ListedObject> listAll(
      PoolClient pool, String bucket, KeyRange range, CancellationToken cancellation) {
    List<ListedObject> all = new ArrayList<>();
    list(pool, bucket, range, cancellation, all::add);
    return all;
  }

  static boolean isDirectoryPlaceholder(ListedObject object) {
    return object.key().endsWith("/") && object.size() == 0;
  }
}
