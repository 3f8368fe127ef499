package io.strata.controller.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * ZooKeeper access for Strata's znodes: the controllers authenticate with a digest ({@code
 * user:password}) and every znode they create is theirs alone ({@code CREATOR_ALL_ACL}): a client
 * without the credentials can neither read nor change the cluster map, the agents or the leader
 * epoch. Nothing is world-readable, since agents never talk to ZooKeeper.
 */
public final class ZooKeeperAcl implements ACLProvider {
  private ZooKeeperAcl() {}

  /** The ACL provider for the controllers' Curator client. */
  public static ACLProvider provider() {
    return new ZooKeeperAcl();
  }

  /**
   * The digest authentication of the controllers.
   *
   * @param userAndPassword {@code user:password}, as read from its secret reference
   * @throws IllegalArgumentException when it is not {@code user:password}
   */
  public static AuthInfo digest(String userAndPassword) {
    int colon = userAndPassword.indexOf(':');
    if (colon < 1 || colon == userAndPassword.length() - 1) {
      throw new IllegalArgumentException("zookeeper.digest must hold user:password");
    }
    return new AuthInfo("digest", userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public List<ACL> getDefaultAcl() {
    return ZooDefs.Ids.CREATOR_ALL_ACL;
  }

  @Override
  public List<ACL> getAclForPath(String path) {
    return ZooDefs.Ids.CREATOR_ALL_ACL;
  }
}
