package io.strata.controller.files;

import io.dropwizard.lifecycle.Managed;
import io.strata.controller.security.Hashes;
import io.strata.runtime.DaemonScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Files a replica reads again when they change, without a restart (the users and tokens files, the
 * policy files). Once started, it looks at them every {@link #CHECK_EVERY} on a thread of its own,
 * and reports a change once it has stayed the same for one more look, so that a file caught half
 * written (by an editor that truncates, then writes) is not taken. What the files hold is compared
 * by SHA-256 of their bytes, not by times: an edit within a file system's time granularity that
 * keeps the size would not show in them. Thread-safe.
 */
public final class WatchedFiles implements Managed {
  /** How often the files are looked at. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final String name;
  private final List<Path> files;
  private final Consumer<List<String>> onChange;
  private List<String> seen;
  private List<String> pending;
  private ScheduledExecutorService looks;

  /**
   * @param name the looking thread's name
   * @param files the files, in the order of their stamps
   * @param seen the stamp of the files as last read ({@link #stamp})
   * @param onChange told the files' new stamp once a change has held for a look
   */
  public WatchedFiles(
      String name, List<Path> files, List<String> seen, Consumer<List<String>> onChange) {
    this.name = name;
    this.files = List.copyOf(files);
    this.seen = seen;
    this.onChange = onChange;
  }

  /**
   * What each file holds, by SHA-256 of its bytes, in order; null for a file that cannot be read.
   */
  public static List<String> stamp(List<Path> files) {
    List<String> out = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        out.add(Hashes.sha256(Files.readAllBytes(file)));
      } catch (IOException e) {
        out.add(null);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Starts looking every {@link #CHECK_EVERY}. */
  @Override
  public synchronized void start() {
    looks = DaemonScheduler.named(name);
    long every = CHECK_EVERY.toMillis();
    looks.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (looks != null) {
      looks.shutdownNow();
    }
  }

  /** One look at the files: what {@link #start} does every {@link #CHECK_EVERY}. */
  public synchronized void check() {
    List<String> stamp = stamp(files);
    if (stamp.equals(seen)) {
      pending = null;
      return;
    }
    if (!stamp.equals(pending)) {
      // Changed since the last look: perhaps half written. Taken once it stayed the same.
      pending = stamp;
      return;
    }
    seen = stamp;
    pending = null;
    onChange.accept(stamp);
  }
}
