package io.strata.controller.security;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users and tokens files as they are now. Once started, it looks every {@link #CHECK_EVERY}
 * whether either file changed, on a thread of its own (requests only read what is in force), and
 * reads both again once a change has stayed the same for one more look (so a file caught half
 * written, by an editor that truncates and then writes, is not taken): a token added, a token
 * revoked or a user's roles changed take effect within two seconds, on each replica that reads the
 * files, without a restart. Files that changed but cannot be used leave the users and tokens read
 * before in force, and the problems are logged, so a bad edit locks nobody out and lets nobody in.
 * So does a file that was read and is gone: a file moved aside during an edit, or deleted by
 * mistake, would otherwise revoke every token, agents' included (to revoke them all, leave the file
 * with no entry). Thread-safe.
 */
public final class IdentityFiles implements Supplier<Identities>, Managed {
  /** How often the files are looked at. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(IdentityFiles.class);

  private final Path users;
  private final Path tokens;
  private volatile Identities current;
  private Stamp seen;
  private Stamp pending;
  private Stamp inForce;
  private ScheduledExecutorService looks;

  private IdentityFiles(Path users, Path tokens, Identities first, Stamp seen) {
    this.users = users;
    this.tokens = tokens;
    this.current = first;
    this.seen = seen;
    this.inForce = seen;
  }

  /**
   * Reads both files a first time.
   *
   * @throws IllegalArgumentException naming every bad entry, as {@link Identities#load} does
   */
  public static IdentityFiles load(Path users, Path tokens) {
    Stamp seen = Stamp.of(users, tokens);
    return new IdentityFiles(users, tokens, Identities.load(users, tokens), seen);
  }

  /** Starts looking at the files every {@link #CHECK_EVERY}. */
  @Override
  public synchronized void start() {
    looks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "identity-files");
              t.setDaemon(true);
              return t;
            });
    long every = CHECK_EVERY.toMillis();
    looks.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (looks != null) {
      looks.shutdownNow();
    }
  }

  @Override
  public Identities get() {
    return current;
  }

  /** One look at the files: what {@link #start} does every {@link #CHECK_EVERY}. */
  synchronized void check() {
    Stamp stamp = Stamp.of(users, tokens);
    if (stamp.equals(seen)) {
      pending = null;
      return;
    }
    if (!stamp.equals(pending)) {
      // Changed since the last look: perhaps half written (an editor that truncates, then
      // writes). Taken once it has stayed the same for a whole check.
      pending = stamp;
      return;
    }
    seen = stamp;
    pending = null;
    if (stamp.users() == null && inForce.users() != null
        || stamp.tokens() == null && inForce.tokens() != null) {
      LOG.error(
          "{} is gone; the users and tokens read before stay in force until it is back (to revoke"
              + " every entry, leave the file with none)",
          stamp.users() == null && inForce.users() != null ? users : tokens);
      return;
    }
    try {
      Identities read = Identities.load(users, tokens);
      current = read;
      inForce = stamp;
      LOG.info(
          "users and tokens read again after a change: {} users, {} tokens",
          read.userCount(),
          read.tokenCount());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "{} or {} changed but cannot be used; the users and tokens read before stay in force"
              + " until they are fixed:\n{}",
          users,
          tokens,
          e.getMessage());
    }
  }

  /**
   * What the two files hold, by SHA-256 (a missing file is null): contents rather than times, as an
   * edit within a file system's time granularity that keeps the size would not show in them.
   */
  private record Stamp(String users, String tokens) {
    static Stamp of(Path users, Path tokens) {
      return new Stamp(digest(users), digest(tokens));
    }

    private static String digest(Path file) {
      try {
        return Hashes.sha256(Files.readString(file));
      } catch (IOException e) {
        return null;
      }
    }
  }
}
