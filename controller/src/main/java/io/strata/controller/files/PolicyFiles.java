package io.strata.controller.files;

import io.dropwizard.lifecycle.Managed;
import io.strata.controller.security.Hashes;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage policies this replica plans by, and the files they come from ({@code
 * reconcile.policyFiles}). Once started, it looks at the files every {@link
 * WatchedFiles#CHECK_EVERY}, on a thread of its own, and loads them again once a change has stayed
 * the same for one more look (a file caught half written is not taken): an edited policy is planned
 * by from the leader's next round, on each replica that reads the files, without a restart.
 *
 * <p>The files are loaded as a set, as at start: parsed, checked against the law and the current
 * cluster map, and checked for policies that share a name or claim the same objects. A set with any
 * error, or a file that cannot be read (gone, moved aside during an edit), is refused whole: the
 * policies in force stay in force, and the refusal and every problem (file, line, column) are
 * logged and kept for the API and the metrics until the files can be used again. A policy that no
 * longer claims a dataset's objects leaves them where they are; it never makes the reconciler
 * delete them.
 *
 * <p>Bundled policies (no files configured) never change while the controller runs. Thread-safe.
 */
public final class PolicyFiles implements Supplier<PolicySet>, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyFiles.class);

  /**
   * The policies in force.
   *
   * @param policies the policies, validated
   * @param sha256 the digest the replicas compare ({@link #digest})
   * @param readAt when they were read: at start, or after the change that brought them
   */
  public record InForce(PolicySet policies, String sha256, Instant readAt) {}

  /**
   * A change of the files that could not be used; the policies in force stayed.
   *
   * @param at when the change was taken up
   * @param problems every problem, as {@code file:line:col: field: message}
   */
  public record Refused(Instant at, List<String> problems) {}

  /**
   * The policies in force and, while the files are as a change that could not be used left them,
   * that change; read together.
   *
   * @param inForce the policies in force
   * @param refused the last change that could not be used; null when the files in force are the
   *     files as they are
   */
  public record Status(InForce inForce, Refused refused) {}

  private final List<Path> files;
  private final List<Dataset> datasets;
  private final ReconcileSettings settings;
  private final Supplier<ClusterMap> map;
  private final Clock clock;
  private final Consumer<FileChange> onChange;
  private final WatchedFiles watch;
  private volatile Status status;

  /**
   * @param files the configured policy files; empty for the bundled policies, which never change
   * @param first the policies read at start, from {@code sources}
   * @param sources the texts {@code first} was loaded from, one per file in order
   * @param datasets the replica's datasets, part of the digest
   * @param settings the replica's reconcile settings, part of the digest
   * @param map the current cluster map, which a changed set is checked against
   * @param onChange told of every change taken up, whether taken or refused
   */
  public PolicyFiles(
      List<Path> files,
      PolicySet first,
      List<PolicySource> sources,
      List<Dataset> datasets,
      ReconcileSettings settings,
      Supplier<ClusterMap> map,
      Clock clock,
      Consumer<FileChange> onChange) {
    this.files = List.copyOf(files);
    this.datasets = List.copyOf(datasets);
    this.settings = settings;
    this.map = map;
    this.clock = clock;
    this.onChange = onChange;
    this.status =
        new Status(new InForce(first, digest(sources, datasets, settings), clock.instant()), null);
    // What the files held when read at start (one source per file, in order).
    List<String> seen =
        files.isEmpty()
            ? List.of()
            : sources.stream()
                .map(s -> Hashes.sha256(s.text().getBytes(StandardCharsets.UTF_8)))
                .toList();
    this.watch = new WatchedFiles("policy-files", files, seen, stamp -> changed());
  }

  /**
   * A digest of what a replica plans by: the text of each policy it loads, its datasets and its
   * reconcile settings. Equal on replicas that plan alike, whatever their files' paths or order.
   */
  public static String digest(
      List<PolicySource> sources, List<Dataset> datasets, ReconcileSettings settings) {
    List<String> parts = new ArrayList<>();
    sources.forEach(source -> parts.add("policy " + Hashes.sha256(source.text())));
    datasets.forEach(dataset -> parts.add("dataset " + dataset));
    parts.add("settings " + settings);
    Collections.sort(parts);
    return Hashes.sha256(String.join("\n", parts));
  }

  /**
   * Starts looking at the files every {@link WatchedFiles#CHECK_EVERY}; nothing to do for bundled
   * policies.
   */
  @Override
  public void start() {
    if (!files.isEmpty()) {
      watch.start();
    }
  }

  @Override
  public void stop() {
    watch.stop();
  }

  /** The policies in force. */
  @Override
  public PolicySet get() {
    return status.inForce().policies();
  }

  /** The policies in force, with their digest and when they were read. */
  public InForce inForce() {
    return status.inForce();
  }

  /** The policies in force and the last change that could not be used, together. */
  public Status status() {
    return status;
  }

  /** The files read; empty for the bundled policies. */
  public List<Path> files() {
    return files;
  }

  /** The last change that could not be used, while the files are as it left them; else null. */
  public Refused refused() {
    return status.refused();
  }

  /** One look at the files: what {@link #start} does every {@link WatchedFiles#CHECK_EVERY}. */
  void check() {
    watch.check();
  }

  /** The files changed, and the change held for a look. */
  private synchronized void changed() {
    PolicyLoader.Read read = PolicyLoader.readFiles(files);
    PolicyLoadResult loaded = PolicyLoader.load(read, map.get());
    if (!loaded.isValid()) {
      List<String> problems = loaded.errors().stream().map(Object::toString).toList();
      InForce kept = status.inForce();
      status = new Status(kept, new Refused(clock.instant(), problems));
      LOG.error(
          "the storage policy files changed but cannot be used; the policies read at {} stay in"
              + " force until they are fixed:\n  {}",
          kept.readAt(),
          String.join("\n  ", problems));
      onChange.accept(
          new FileChange("policies", files, Hashes.sha256(String.join("\n", problems)), false));
      return;
    }
    InForce before = status.inForce();
    InForce now =
        new InForce(
            PolicySet.of(loaded.policies()),
            digest(read.sources(), datasets, settings),
            clock.instant());
    status = new Status(now, null);
    LOG.info(
        "storage policies read again after a change: {} ({}, was {}); the leader plans by them"
            + " from its next round",
        loaded.policies().stream().map(p -> p.name()).toList(),
        now.sha256().substring(0, 12),
        before.sha256().substring(0, 12));
    onChange.accept(new FileChange("policies", files, now.sha256(), true));
  }
}
