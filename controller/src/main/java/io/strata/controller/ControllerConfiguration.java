package io.strata.controller;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.strata.controller.audit.AuditFactory;
import io.strata.controller.capacity.CapacityFactory;
import io.strata.controller.datasets.DatasetFactory;
import io.strata.controller.kubernetes.KubernetesFactory;
import io.strata.controller.reconcile.ReconcileFactory;
import io.strata.controller.relay.RelayFactory;
import io.strata.controller.security.SecurityFactory;
import io.strata.controller.zookeeper.ZooKeeperFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of a controller replica ({@code strata server controller.yml}).
 *
 * <ul>
 *   <li>{@code replicaId}: this replica's name in leader election; default {@code host:port}.
 *   <li>{@code advertisedUrl}: where agents reach this replica's API, {@code http(s)://host:port};
 *       when it leads, followers send agents there. Default: the application connector's scheme,
 *       bind host and port, with this machine's host name when it binds every interface. Set it
 *       where that name does not resolve from the storage nodes (on Kubernetes, the pod IP).
 *   <li>{@code zookeeper}: the ensemble; see {@link ZooKeeperFactory}.
 *   <li>{@code topologyFile}: the topology that seeds an empty ensemble; default {@code
 *       topology.yaml}. Once ZooKeeper holds a map, the map there wins.
 *   <li>{@code credentialsDir}: base for relative {@code file:} credential references of pools.
 *   <li>{@code agentLease}: an agent without a heartbeat for this long is down; 1 s to 1 h, default
 *       30 s (three missed beats at the default 10 s interval).
 *   <li>{@code site}: the site this replica runs in, for nearest-copy answers.
 *   <li>{@code datasets}: the datasets and their policies.
 *   <li>{@code reconcile}: the reconciler; see {@link ReconcileFactory}.
 *   <li>{@code relay}: whether a follower relays its agents' heartbeats to the leader in batches,
 *       with the token it presents; off by default (followers point agents to the leader); see
 *       {@link RelayFactory}.
 *   <li>{@code security}: users, tokens, sessions, {@code /metrics} access; see {@link
 *       SecurityFactory}.
 *   <li>{@code audit}: the audit trail's spool and bucket; see {@link AuditFactory}.
 *   <li>{@code capacity}: the capacity history and forecasts; see {@link CapacityFactory}.
 *   <li>{@code kubernetes}: the failure-domain tree from the nodes' labels, node conditions and the
 *       agents' disruption budgets; off by default; see {@link KubernetesFactory}.
 * </ul>
 */
public class ControllerConfiguration extends Configuration {
  private String replicaId;

  @Pattern(
      regexp = "https?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):\\d{1,5}/?",
      message = "must be http(s)://host:port, the address agents reach this replica at")
  private String advertisedUrl;

  @Valid @NotNull private ZooKeeperFactory zookeeper = new ZooKeeperFactory();

  @NotEmpty private String topologyFile = "topology.yaml";

  @NotNull private String credentialsDir = ".";

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.HOURS)
  private Duration agentLease = Duration.seconds(30);

  private String site;

  @Valid @NotNull private List<DatasetFactory> datasets = new ArrayList<>();

  @Valid @NotNull private ReconcileFactory reconcile = new ReconcileFactory();

  @Valid @NotNull private RelayFactory relay = new RelayFactory();

  /** How followers hand heartbeats to the leader; see {@link RelayFactory}. */
  @JsonProperty
  public RelayFactory getRelay() {
    return relay;
  }

  @JsonProperty
  public void setRelay(RelayFactory relay) {
    this.relay = relay;
  }

  /** The reconciler's settings; see {@link ReconcileFactory}. */
  @JsonProperty
  public ReconcileFactory getReconcile() {
    return reconcile;
  }

  @JsonProperty
  public void setReconcile(ReconcileFactory reconcile) {
    this.reconcile = reconcile;
  }

  // Security baseline: authentication and roles, and the audit trail.
  @Valid @NotNull private SecurityFactory security = new SecurityFactory();

  @Valid @NotNull private AuditFactory audit = new AuditFactory();

  @Valid @NotNull private CapacityFactory capacity = new CapacityFactory();

  @Valid @NotNull private KubernetesFactory kubernetes = new KubernetesFactory();

  @JsonProperty
  public KubernetesFactory getKubernetes() {
    return kubernetes;
  }

  @JsonProperty
  public void setKubernetes(KubernetesFactory kubernetes) {
    this.kubernetes = kubernetes;
  }

  @JsonProperty
  public String getReplicaId() {
    return replicaId;
  }

  @JsonProperty
  public void setReplicaId(String replicaId) {
    this.replicaId = replicaId;
  }

  @JsonProperty
  public String getAdvertisedUrl() {
    return advertisedUrl;
  }

  @JsonProperty
  public void setAdvertisedUrl(String advertisedUrl) {
    this.advertisedUrl = advertisedUrl;
  }

  @JsonProperty("zookeeper")
  public ZooKeeperFactory getZooKeeper() {
    return zookeeper;
  }

  @JsonProperty("zookeeper")
  public void setZooKeeper(ZooKeeperFactory zookeeper) {
    this.zookeeper = zookeeper;
  }

  @JsonProperty
  public String getTopologyFile() {
    return topologyFile;
  }

  @JsonProperty
  public void setTopologyFile(String topologyFile) {
    this.topologyFile = topologyFile;
  }

  @JsonProperty
  public String getCredentialsDir() {
    return credentialsDir;
  }

  @JsonProperty
  public void setCredentialsDir(String credentialsDir) {
    this.credentialsDir = credentialsDir;
  }

  @JsonProperty
  public Duration getAgentLease() {
    return agentLease;
  }

  @JsonProperty
  public void setAgentLease(Duration agentLease) {
    this.agentLease = agentLease;
  }

  @JsonProperty
  public String getSite() {
    return site;
  }

  @JsonProperty
  public void setSite(String site) {
    this.site = site;
  }

  @JsonProperty
  public List<DatasetFactory> getDatasets() {
    return datasets;
  }

  @JsonProperty
  public void setDatasets(List<DatasetFactory> datasets) {
    this.datasets = datasets;
  }

  @JsonProperty
  public SecurityFactory getSecurity() {
    return security;
  }

  @JsonProperty
  public void setSecurity(SecurityFactory security) {
    this.security = security;
  }

  @JsonProperty
  public AuditFactory getAudit() {
    return audit;
  }

  @JsonProperty
  public void setAudit(AuditFactory audit) {
    this.audit = audit;
  }

  @JsonProperty
  public CapacityFactory getCapacity() {
    return capacity;
  }

  @JsonProperty
  public void setCapacity(CapacityFactory capacity) {
    this.capacity = capacity;
  }
}
