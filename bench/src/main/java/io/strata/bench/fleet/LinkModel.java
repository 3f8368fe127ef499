package io.strata.bench.fleet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a simulated copy crosses: the source and target pools, their racks' uplinks, their
 * rooms' links when the copy leaves a room, and the site link when it leaves a site. Each link
 * carries its bytes one after the other at its bandwidth (a work-conserving queue, in both
 * directions together, as the controller's budgets count them); a copy ends when every link on its
 * path has carried it. So many copies through one link share it, and the aggregate of all copies
 * never exceeds any link's bandwidth. Times are in fleet seconds (unscaled). Thread-safe.
 */
final class LinkModel {
  private final FleetOptions options;
  private final Map<String, Double> busyUntil = new HashMap<>();

  LinkModel(FleetOptions options) {
    this.options = options;
  }

  /**
   * Books {@code bytes} from {@code source} to {@code target} starting no sooner than {@code now};
   * returns when the last link on the path has carried them, in fleet seconds.
   */
  synchronized double book(
      FleetLayout.PoolSite source, FleetLayout.PoolSite target, long bytes, double now) {
    double end = now;
    for (Link link : path(source, target)) {
      double start = Math.max(now, busyUntil.getOrDefault(link.id(), 0.0));
      double done = start + bytes / link.bytesPerSecond();
      busyUntil.put(link.id(), done);
      end = Math.max(end, done);
    }
    return end;
  }

  /** One link: its id and its bandwidth. */
  record Link(String id, double bytesPerSecond) {}

  List<Link> path(FleetLayout.PoolSite source, FleetLayout.PoolSite target) {
    List<Link> links = new java.util.ArrayList<>();
    links.add(new Link("pool:" + source.pool(), options.poolBytesPerSecond()));
    links.add(new Link("pool:" + target.pool(), options.poolBytesPerSecond()));
    if (!source.rack().equals(target.rack())) {
      links.add(new Link("rack:" + source.rack(), options.rackBytesPerSecond()));
      links.add(new Link("rack:" + target.rack(), options.rackBytesPerSecond()));
    }
    if (!source.room().equals(target.room())) {
      links.add(new Link("room:" + source.room(), options.roomBytesPerSecond()));
      links.add(new Link("room:" + target.room(), options.roomBytesPerSecond()));
    }
    if (!source.site().equals(target.site())) {
      links.add(new Link("site:" + source.site(), options.siteBytesPerSecond()));
      links.add(new Link("site:" + target.site(), options.siteBytesPerSecond()));
    }
    return links;
  }
}
