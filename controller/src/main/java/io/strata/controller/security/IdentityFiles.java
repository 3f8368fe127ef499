package io.strata.controller.security;

import io.dropwizard.lifecycle.Managed;
import io.strata.controller.files.FileChange;
import io.strata.controller.files.WatchedFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users and tokens files as they are now. Once started, it looks every {@link
 * WatchedFiles#CHECK_EVERY} whether either file changed, on a thread of its own (requests only read
 * what is in force), and reads both again once a change has stayed the same for one more look (so a
 * file caught half written, by an editor that truncates and then writes, is not taken): a token
 * added, a token revoked or a user's roles changed take effect within two seconds, on each replica
 * that reads the files, without a restart. Files that changed but cannot be used leave the users
 * and tokens read before in force, and the problems are logged, so a bad edit locks nobody out and
 * lets nobody in. So does a file that was read and is gone: a file moved aside during an edit, or
 * deleted by mistake, would otherwise revoke every token, agents' included (to revoke them all,
 * leave the file with no entry). Thread-safe.
 */
public final class IdentityFiles implements Supplier<Identities>, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityFiles.class);

  /** How the audit trail names a change of these files. */
  public static final String IDENTITIES = "identities";

  private final Path users;
  private final Path tokens;
  private final WatchedFiles watch;
  private final Consumer<FileChange> onChange;
  private volatile Identities current;
  private List<String> inForce;

  private IdentityFiles(
      Path users, Path tokens, Identities first, List<String> seen, Consumer<FileChange> onChange) {
    this.users = users;
    this.tokens = tokens;
    this.onChange = onChange;
    this.current = first;
    this.inForce = seen;
    this.watch = new WatchedFiles("identity-files", List.of(users, tokens), seen, this::changed);
  }

  /**
   * Reads both files a first time.
   *
   * @throws IllegalArgumentException naming every bad entry, as {@link Identities#load} does
   */
  public static IdentityFiles load(Path users, Path tokens) {
    return load(users, tokens, change -> {});
  }

  /**
   * Reads both files a first time.
   *
   * @param onChange told of every change taken up, whether taken or refused ({@code identities})
   * @throws IllegalArgumentException naming every bad entry, as {@link Identities#load} does
   */
  public static IdentityFiles load(Path users, Path tokens, Consumer<FileChange> onChange) {
    List<String> seen = WatchedFiles.stamp(List.of(users, tokens));
    return new IdentityFiles(users, tokens, Identities.load(users, tokens), seen, onChange);
  }

  /** Starts looking at the files every {@link WatchedFiles#CHECK_EVERY}. */
  @Override
  public void start() {
    watch.start();
  }

  @Override
  public void stop() {
    watch.stop();
  }

  @Override
  public Identities get() {
    return current;
  }

  /** One look at the files: what {@link #start} does every {@link WatchedFiles#CHECK_EVERY}. */
  void check() {
    watch.check();
  }

  /** The files changed, and the change held for a look: {@code stamp} is what they hold now. */
  private synchronized void changed(List<String> stamp) {
    List<Path> files = List.of(users, tokens);
    for (int i = 0; i < stamp.size(); i++) {
      if (stamp.get(i) == null && inForce.get(i) != null) {
        LOG.error(
            "{} is gone; the users and tokens read before stay in force until it is back (to revoke"
                + " every entry, leave the file with none)",
            files.get(i));
        onChange.accept(
            new FileChange(IDENTITIES, files, Hashes.sha256(files.get(i) + " is gone"), false));
        return;
      }
    }
    try {
      Identities read = Identities.load(users, tokens);
      current = read;
      inForce = stamp;
      LOG.info(
          "users and tokens read again after a change: {} users, {} tokens",
          read.userCount(),
          read.tokenCount());
      onChange.accept(
          new FileChange(
              IDENTITIES,
              files,
              Hashes.sha256(read.usersDigest() + "\n" + read.tokensDigest()),
              true));
    } catch (IllegalArgumentException e) {
      LOG.error(
          "{} or {} changed but cannot be used; the users and tokens read before stay in force"
              + " until they are fixed:\n{}",
          users,
          tokens,
          e.getMessage());
      onChange.accept(new FileChange(IDENTITIES, files, Hashes.sha256(e.getMessage()), false));
    }
  }
}
