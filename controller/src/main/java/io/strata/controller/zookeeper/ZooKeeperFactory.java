package io.strata.controller.zookeeper;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.strata.controller.security.ZooKeeperAcl;
import io.strata.runtime.SecretReference;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Connection to the ZooKeeper ensemble (the {@code zookeeper:} block of the controller's
 * configuration).
 *
 * <ul>
 *   <li>{@code connectString}: {@code host:port[,host:port...]}; default {@code 127.0.0.1:2181}.
 *   <li>{@code namespace}: the root under which every Strata znode lives; default {@code strata}.
 *   <li>{@code sessionTimeout}: 2 s or more, default 30 s.
 *   <li>{@code connectionTimeout}: 1 s or more, default 15 s; one longer than the session timeout
 *       is cut to it, since a connection that takes longer than a session lasts is of no use.
 *   <li>{@code maxRetries}: 0 to 29, default 5 (exponential back-off from 500 ms).
 *   <li>{@code digest}: where the controllers' ZooKeeper credentials are ({@code file:PATH} or
 *       {@code env:NAME}, holding {@code user:password}); when set, every znode Strata creates is
 *       readable and writable with these credentials only. Default none (open znodes, for a
 *       ZooKeeper reachable by the controllers alone).
 * </ul>
 */
public class ZooKeeperFactory {
  @NotEmpty
  @Pattern(
      regexp = "[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*(/.*)?",
      message = "must be host:port[,host:port...]")
  private String connectString = "127.0.0.1:2181";

  @NotEmpty
  @Pattern(
      regexp = "[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*",
      message = "must be a path without leading /")
  private String namespace = "strata";

  @NotNull
  @MinDuration(value = 2, unit = TimeUnit.SECONDS)
  private Duration sessionTimeout = Duration.seconds(30);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  private Duration connectionTimeout = Duration.seconds(15);

  @Min(0)
  @Max(29)
  private int maxRetries = 5;

  @Pattern(regexp = "(file|env):.+", message = "must be a reference: file:PATH or env:NAME")
  private String digest;

  /**
   * Builds a client and hands it to the lifecycle, which starts it before the server and closes it
   * after.
   */
  public CuratorFramework build(LifecycleEnvironment lifecycle) {
    return build(lifecycle, Path.of("."));
  }

  /**
   * As {@link #build(LifecycleEnvironment)}; a relative {@code digest} file resolves against {@code
   * baseDir}.
   */
  public CuratorFramework build(LifecycleEnvironment lifecycle, Path baseDir) {
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .namespace(namespace)
            .sessionTimeoutMs((int) sessionTimeout.toMilliseconds())
            .connectionTimeoutMs(
                (int) Math.min(connectionTimeout.toMilliseconds(), sessionTimeout.toMilliseconds()))
            .retryPolicy(new ExponentialBackoffRetry(500, maxRetries));
    if (digest != null) {
      builder
          .authorization(
              List.of(ZooKeeperAcl.digest(SecretReference.read(digest, baseDir, System.getenv()))))
          .aclProvider(ZooKeeperAcl.provider());
    }
    CuratorFramework client = builder.build();
    lifecycle.manage(
        new Managed() {
          @Override
          public void start() {
            client.start();
          }

          @Override
          public void stop() {
            client.close();
          }
        });
    return client;
  }

  @JsonProperty
  public String getConnectString() {
    return connectString;
  }

  @JsonProperty
  public void setConnectString(String connectString) {
    this.connectString = connectString;
  }

  @JsonProperty
  public String getNamespace() {
    return namespace;
  }

  @JsonProperty
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty
  public Duration getSessionTimeout() {
    return sessionTimeout;
  }

  @JsonProperty
  public void setSessionTimeout(Duration sessionTimeout) {
    this.sessionTimeout = sessionTimeout;
  }

  @JsonProperty
  public Duration getConnectionTimeout() {
    return connectionTimeout;
  }

  @JsonProperty
  public void setConnectionTimeout(Duration connectionTimeout) {
    this.connectionTimeout = connectionTimeout;
  }

  /** A reference, never the credentials themselves. */
  @JsonProperty
  public String getDigest() {
    return digest;
  }

  @JsonProperty
  public void setDigest(String digest) {
    this.digest = digest;
  }

  @JsonProperty
  public int getMaxRetries() {
    return maxRetries;
  }

  @JsonProperty
  public void setMaxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
  }
}
