package io.strata.controller.zookeeper;

/**
 * Every ZooKeeper path Strata uses, relative to the configured namespace (default {@code /strata}).
 * Nothing else in the code spells a path.
 */
public final class ZkPaths {
  /** The leader-election latch of the controller replicas. */
  public static final String LEADER_LATCH = "/leader/latch";

  /** The fencing epoch: a counter bumped (compare-and-set) by every new leader. */
  public static final String LEADER_EPOCH = "/leader/epoch";

  /** The current leader's id and URL, for operators and followers. */
  public static final String LEADER_INFO = "/leader/info";

  /** The cluster map: topology file form plus its epoch. */
  public static final String CLUSTER_MAP = "/cluster-map";

  /**
   * The chunks of a cluster map too large for one node: one child per write (named by its
   * checksum), the chunks after the first below it; the first is the cluster-map node itself.
   */
  public static final String CLUSTER_MAP_CHUNKS = "/cluster-map-chunks";

  /** One child per agent: its last heartbeat and when the controller received it. */
  public static final String AGENTS = "/agents";

  /**
   * When each agent was last heard: per controller replica, the agents that send it heartbeats, in
   * chunks ({@link #agentsSeen}).
   */
  public static final String AGENTS_SEEN = "/agents-seen";

  /** The task queue: one child per task, written only by the leader under its fence. */
  public static final String TASKS = "/tasks";

  /** The shard map of each dataset: one child per dataset, its chunks below it. */
  public static final String SHARDS = "/shards";

  /** Scrubs: per shard and pool, when it was last scrubbed and the copies found wrong. */
  public static final String SCRUBS = "/scrubs";

  /** Operator switches: movement paused globally or per dataset. */
  public static final String MOVEMENT = "/movement";

  /**
   * Recalls to the hot tier, one small node each (a few hundred bytes of JSON), named by the
   * recall's id; at most {@link RecallStore#MAX_RECALLS} of them.
   */
  public static final String RECALLS = "/recalls";

  /**
   * Approved expiries not yet done, one small node each, named by the expiry's id; at most {@link
   * ExpiryStore#MAX_RECORDS}. A done expiry's node goes once its certificate is written.
   */
  public static final String EXPIRIES = "/expiries";

  /** What each approved expiry has destroyed so far, by the agents' results: one node each. */
  public static final String EXPIRY_TALLIES = "/expiry-tallies";

  /**
   * Per approved expiry, the objects it covered in each shard when the shard was first planned with
   * it: a node per {@link ExpiryStore#COVERED_BUCKETS bucket} of shards, created as needed.
   */
  public static final String EXPIRY_COVERED = "/expiry-covered";

  /** The node of an expiry's counts of the shards that hash to {@code bucket}. */
  public static String expiryCovered(String expiry, int bucket) {
    return EXPIRY_COVERED
        + "/"
        + expiry
        + "/"
        + String.format(java.util.Locale.ROOT, "b%02x", bucket);
  }

  /** Legal holds standing, one small node each; at most {@link ExpiryStore#MAX_RECORDS}. */
  public static final String HOLDS = "/holds";

  /** Console sessions, one node each, named by the SHA-256 of the session's id (its cookie). */
  public static final String SESSIONS = "/sessions";

  /**
   * What each live replica runs by (its users and tokens, its policies), by digest: one ephemeral
   * child per replica ({@link #replica}).
   */
  public static final String REPLICAS = "/replicas";

  /**
   * Failed logins, one node per user name tried and per source address, named by the SHA-256 of
   * {@code user:NAME} or {@code address:IP} so that a password typed into the name field is not
   * kept ({@link #loginFailures}).
   */
  public static final String LOGIN_FAILURES = "/login-failures";

  /**
   * Users and tokens managed through the API, over those of the files: {@link #IDENTITY_USERS} and
   * {@link #IDENTITY_TOKENS}, one child per name.
   */
  public static final String IDENTITIES = "/identities";

  /** Users managed through the API, one child per user name. */
  public static final String IDENTITY_USERS = IDENTITIES + "/users";

  /** Tokens managed through the API, one child per token name. */
  public static final String IDENTITY_TOKENS = IDENTITIES + "/tokens";

  private ZkPaths() {}

  /** The API's entry of the user {@code name} (a name of {@code [A-Za-z0-9._@-]}). */
  public static String identityUser(String name) {
    return IDENTITY_USERS + "/" + name;
  }

  /** The API's entry of the token {@code name} (a name of {@code [A-Za-z0-9._@-]}). */
  public static String identityToken(String name) {
    return IDENTITY_TOKENS + "/" + name;
  }

  /** The failed-login counter whose key hashes to {@code keyHash}. */
  public static String loginFailures(String keyHash) {
    return LOGIN_FAILURES + "/" + keyHash;
  }

  /** Chunk {@code index} (from 1) of the cluster-map write named {@code write}. */
  public static String clusterMapChunk(String write, int index) {
    return CLUSTER_MAP_CHUNKS + "/" + write + "/" + index;
  }

  /** The node of one queued task. */
  public static String task(String taskId) {
    return TASKS + "/" + taskId;
  }

  /** The scrub record of one shard on one pool; the name is made path-safe here. */
  public static String scrub(String shardId, String pool) {
    return SCRUBS
        + "/"
        + java.net.URLEncoder.encode(shardId + "|" + pool, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The head of one dataset's shard map (its layout and counters); its chunks are children. */
  public static String shards(String dataset) {
    return SHARDS + "/" + dataset;
  }

  /** One chunk of a dataset's shard map. */
  public static String shardChunk(String dataset, String chunk) {
    return shards(dataset) + "/" + chunk;
  }

  /** One chunk of the agents a replica has heard; {@code replica} is made path-safe here. */
  public static String agentsSeen(String replica, int chunk) {
    return AGENTS_SEEN + "/" + replica.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + chunk;
  }

  /** The record of one live replica; {@code replica} is made path-safe here. */
  public static String replica(String replica) {
    return REPLICAS + "/" + replica.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The node of the console session whose id hashes to {@code idHash}. */
  public static String session(String idHash) {
    return SESSIONS + "/" + idHash;
  }

  /** The node of one agent. */
  public static String agent(String agentId) {
    return AGENTS + "/" + agentId;
  }
}
