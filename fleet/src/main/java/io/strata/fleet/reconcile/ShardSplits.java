package io.strata.fleet.reconcile;

import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.ListedObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where to cut a shard that one pool's scan found past a threshold. A shard past {@code
 * shardMaxObjects} or {@code shardMaxBytes} is cut into pieces of about half the threshold each, by
 * count or by bytes (whichever needs more pieces), so that the pieces take a while to reach the
 * threshold again; a shard far past it (a threshold lowered, a bucket that held data before Strata
 * governed it) is cut at once into at most {@link #MAX_PIECES}, not halved scan after scan. Pure.
 */
public final class ShardSplits {
  /** The most pieces one split makes: it bounds the size of the ZooKeeper transaction. */
  public static final int MAX_PIECES = 64;

  private ShardSplits() {}

  /**
   * The keys to split at, ascending; empty when the shard is within both thresholds.
   *
   * @param listing every object of the shard in one pool
   */
  public static List<String> keys(Collection<ListedObject> listing, ReconcileSettings settings) {
    long bytes = 0;
    for (ListedObject o : listing) {
      bytes += o.size();
    }
    boolean byCount = listing.size() > settings.shardMaxObjects();
    boolean byBytes = bytes > settings.shardMaxBytes();
    if (!byCount && !byBytes) {
      return List.of();
    }
    long countPieces = byCount ? 2 * (long) listing.size() / settings.shardMaxObjects() : 0;
    long bytePieces = byBytes ? bytes / Math.max(1, settings.shardMaxBytes() / 2) : 0;
    int pieces = (int) Math.max(2, Math.min(MAX_PIECES, Math.max(countPieces, bytePieces)));
    List<ListedObject> sorted = new ArrayList<>(listing);
    sorted.sort((a, b) -> KeyOrder.compare(a.key(), b.key()));
    List<String> keys = new ArrayList<>(pieces - 1);
    if (bytePieces > countPieces) {
      // Equal bytes per piece: cut before the object whose middle passes the next share.
      long seen = 0;
      int cut = 1;
      for (int i = 0; i < sorted.size() && cut < pieces; i++) {
        if (i > 0 && seen + sorted.get(i).size() / 2 > bytes / pieces * cut) {
          addIfNew(keys, sorted.get(i).key());
          cut++;
        }
        seen += sorted.get(i).size();
      }
    } else {
      for (int cut = 1; cut < pieces; cut++) {
        addIfNew(keys, sorted.get((int) ((long) sorted.size() * cut / pieces)).key());
      }
    }
    return keys;
  }

  private static void addIfNew(List<String> keys, String key) {
    if (keys.isEmpty() || KeyOrder.compare(keys.get(keys.size() - 1), key) < 0) {
      keys.add(key);
    }
  }
}
