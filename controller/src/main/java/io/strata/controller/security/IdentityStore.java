package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.strata.controller.zookeeper.ZkPaths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users and tokens in force: those of the files ({@link IdentityFiles}, the seed), changed by
 * the entries the user API keeps in ZooKeeper ({@link ZkPaths#IDENTITIES}). An API entry of a name
 * adds that user or token, or replaces the file's entry of that name; a disabled entry, or a
 * removed one (kept as a marker while the files still name it), takes it out. Every replica watches
 * the entries, so a change made on one is in force on all within moments: a removed or disabled
 * user's console sessions end at their next request, on every replica.
 *
 * <p>Entries hold hashes only, as the files do. Thread-safe; must be started once and eventually
 * stopped.
 */
public final class IdentityStore implements Supplier<Identities>, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityStore.class);
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  /** What a user or token name may be: it names a znode. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

  /** A user as the API keeps it; a null hash or null roles keep the file's. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StoredUser(
      String passwordHash, List<String> roles, boolean disabled, boolean removed) {}

  /** A token as the API keeps it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StoredToken(
      String sha256, List<String> roles, String agentId, boolean disabled, boolean removed) {}

  /**
   * One user or token as an admin sees it: never a hash.
   *
   * @param source {@code file}, {@code api}, or {@code file+api} (a file's entry changed by the
   *     API)
   */
  public record Entry(
      String name, List<String> roles, String agentId, boolean disabled, String source) {}

  private final CuratorFramework curator;
  private final Supplier<Identities> files;
  private final AtomicLong generation = new AtomicLong();
  private CuratorCache cache;
  private volatile Merged merged;

  private record Merged(Identities files, long generation, Identities inForce) {}

  public IdentityStore(CuratorFramework curator, Supplier<Identities> files) {
    this.curator = curator;
    this.files = files;
  }

  @Override
  public synchronized void start() throws Exception {
    curator.createContainers(ZkPaths.IDENTITY_USERS);
    curator.createContainers(ZkPaths.IDENTITY_TOKENS);
    cache = CuratorCache.build(curator, ZkPaths.IDENTITIES);
    cache.listenable().addListener((type, before, after) -> generation.incrementAndGet());
    cache.start();
  }

  @Override
  public synchronized void stop() {
    if (cache != null) {
      cache.close();
      cache = null;
    }
  }

  /** The users and tokens in force now: the files' changed by the API's entries. */
  @Override
  public Identities get() {
    Identities base = files.get();
    long now = generation.get();
    Merged m = merged;
    if (m != null && m.files() == base && m.generation() == now) {
      return m.inForce();
    }
    Map<String, Identities.User> users = new LinkedHashMap<>();
    base.users().forEach(u -> users.put(u.name(), u));
    users(null)
        .forEach(
            (name, stored) -> {
              Identities.User file = users.get(name);
              if (stored.removed() || stored.disabled()) {
                users.remove(name);
              } else {
                String hash = stored.passwordHash() != null ? stored.passwordHash() : hash(file);
                List<String> roles =
                    stored.roles() != null ? stored.roles() : file == null ? null : file.roles();
                if (hash != null && roles != null) {
                  users.put(name, new Identities.User(name, hash, roles));
                }
              }
            });
    Map<String, Identities.Token> tokens = new LinkedHashMap<>();
    base.tokens().forEach(t -> tokens.put(t.name(), t));
    tokens()
        .forEach(
            (name, stored) -> {
              if (stored.removed() || stored.disabled()) {
                tokens.remove(name);
              } else {
                tokens.put(
                    name,
                    new Identities.Token(name, stored.sha256(), stored.roles(), stored.agentId()));
              }
            });
    Identities inForce = new Identities(List.copyOf(users.values()), List.copyOf(tokens.values()));
    merged = new Merged(base, now, inForce);
    return inForce;
  }

  private static String hash(Identities.User user) {
    return user == null ? null : user.passwordHash();
  }

  /** Every user an admin may see, by name: in force, disabled, or both. */
  public List<Entry> listUsers() {
    Map<String, Entry> out = new TreeMap<>();
    files.get().users().forEach(u -> out.put(u.name(), entry(u.name(), u.roles(), null, "file")));
    users(null)
        .forEach(
            (name, stored) -> {
              Entry file = out.get(name);
              if (stored.removed()) {
                out.remove(name);
                return;
              }
              List<String> roles =
                  stored.roles() != null ? stored.roles() : file == null ? List.of() : file.roles();
              out.put(
                  name,
                  new Entry(
                      name,
                      sorted(roles),
                      null,
                      stored.disabled(),
                      file == null ? "api" : "file+api"));
            });
    return List.copyOf(out.values());
  }

  /** Every token an admin may see, by name: never its hash. */
  public List<Entry> listTokens() {
    Map<String, Entry> out = new TreeMap<>();
    files
        .get()
        .tokens()
        .forEach(t -> out.put(t.name(), entry(t.name(), t.roles(), t.agentId(), "file")));
    tokens()
        .forEach(
            (name, stored) -> {
              boolean inFile = out.containsKey(name);
              if (stored.removed()) {
                out.remove(name);
              } else {
                out.put(
                    name,
                    new Entry(
                        name,
                        sorted(stored.roles()),
                        stored.agentId(),
                        stored.disabled(),
                        inFile ? "file+api" : "api"));
              }
            });
    return List.copyOf(out.values());
  }

  /** The API's entry of user {@code name}, if any. */
  public Optional<StoredUser> user(String name) {
    return Optional.ofNullable(users(name).get(name));
  }

  /** True when the files name user {@code name}. */
  public boolean inFiles(String user) {
    return files.get().users().stream().anyMatch(u -> u.name().equals(user));
  }

  /** True when the files name token {@code name}. */
  public boolean tokenInFiles(String token) {
    return files.get().tokens().stream().anyMatch(t -> t.name().equals(token));
  }

  /** The API's entry of token {@code name}, if any. */
  public Optional<StoredToken> token(String name) {
    return Optional.ofNullable(tokens().get(name));
  }

  /**
   * Writes the API's entry of a user, on every replica.
   *
   * @throws IllegalStateException when ZooKeeper cannot take it
   */
  public void putUser(String name, StoredUser user) {
    write(ZkPaths.identityUser(name), user);
  }

  /**
   * Writes the API's entry of a token, on every replica.
   *
   * @throws IllegalStateException when ZooKeeper cannot take it
   */
  public void putToken(String name, StoredToken token) {
    write(ZkPaths.identityToken(name), token);
  }

  /** Deletes the API's entry of a user (the files' entry, if any, is in force again). */
  public void deleteUser(String name) {
    delete(ZkPaths.identityUser(name));
  }

  /** Deletes the API's entry of a token. */
  public void deleteToken(String name) {
    delete(ZkPaths.identityToken(name));
  }

  private void write(String path, Object value) {
    try {
      byte[] data = JSON.writeValueAsBytes(value);
      try {
        curator.create().creatingParentContainersIfNeeded().forPath(path, data);
      } catch (KeeperException.NodeExistsException e) {
        curator.setData().forPath(path, data);
      }
      // Seen by this replica at once, not only when the cache hears of it.
      generation.incrementAndGet();
      awaitCached(path, data);
    } catch (Exception e) {
      LOG.warn("could not store a user or token in ZooKeeper: {}", e.toString());
      throw new IllegalStateException("ZooKeeper cannot store the change now", e);
    }
  }

  private void delete(String path) {
    try {
      curator.delete().forPath(path);
      generation.incrementAndGet();
      awaitCached(path, null);
    } catch (KeeperException.NoNodeException e) {
      // Already gone.
    } catch (Exception e) {
      LOG.warn("could not delete a user or token in ZooKeeper: {}", e.toString());
      throw new IllegalStateException("ZooKeeper cannot store the change now", e);
    }
  }

  /**
   * Waits (briefly) until this replica's cache holds what was just written, so that the answer of a
   * change and the next request on this replica agree; other replicas follow within moments.
   */
  private void awaitCached(String path, byte[] data) throws InterruptedException {
    CuratorCache c = cache;
    for (int i = 0; c != null && i < 200; i++) {
      Optional<ChildData> now = c.get(path);
      boolean there =
          data == null
              ? now.isEmpty()
              : now.isPresent() && java.util.Arrays.equals(now.get().getData(), data);
      if (there) {
        generation.incrementAndGet();
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  private Map<String, StoredUser> users(String only) {
    Map<String, StoredUser> out = new TreeMap<>();
    children(ZkPaths.IDENTITY_USERS)
        .forEach(
            c -> {
              String name = c.getPath().substring(ZkPaths.IDENTITY_USERS.length() + 1);
              if (only == null || only.equals(name)) {
                StoredUser u = read(c, StoredUser.class);
                if (u != null) {
                  out.put(name, u);
                }
              }
            });
    return out;
  }

  private Map<String, StoredToken> tokens() {
    Map<String, StoredToken> out = new TreeMap<>();
    children(ZkPaths.IDENTITY_TOKENS)
        .forEach(
            c -> {
              StoredToken t = read(c, StoredToken.class);
              if (t != null) {
                out.put(c.getPath().substring(ZkPaths.IDENTITY_TOKENS.length() + 1), t);
              }
            });
    return out;
  }

  private List<ChildData> children(String parent) {
    CuratorCache c = cache;
    if (c == null) {
      return List.of();
    }
    List<ChildData> out = new ArrayList<>();
    c.stream()
        .filter(d -> d.getPath().startsWith(parent + "/") && d.getData() != null)
        .filter(d -> d.getData().length > 0)
        .sorted(Comparator.comparing(ChildData::getPath))
        .forEach(out::add);
    return out;
  }

  private static <T> T read(ChildData data, Class<T> type) {
    try {
      return JSON.readValue(data.getData(), type);
    } catch (Exception e) {
      LOG.warn("an unreadable user or token entry in ZooKeeper, ignored: {}", data.getPath());
      return null;
    }
  }

  private static Entry entry(String name, List<String> roles, String agentId, String source) {
    return new Entry(name, sorted(roles), agentId, false, source);
  }

  private static List<String> sorted(List<String> roles) {
    return roles == null ? List.of() : roles.stream().sorted().toList();
  }
}
