package io.strata.controller.kubernetes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.strata.topology.DomainLevel;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kubernetes:} block of the controller's configuration. Off by default; with {@code
 * enabled: true} the leader takes the failure-domain tree from the nodes' labels, marks the pools
 * of nodes that Kubernetes reports down, and keeps a PodDisruptionBudget per failure domain for the
 * agents.
 *
 * <ul>
 *   <li>{@code enabled}: default false.
 *   <li>{@code masterUrl}: the API server; default: what the Fabric8 client finds (the pod's
 *       service account in a cluster, else {@code ~/.kube/config}).
 *   <li>{@code namespace}: where the agents run and their budgets are kept; default {@code strata}.
 *   <li>{@code storageNodeLabel}: {@code key=value} of the label on every storage node; only these
 *       nodes are read. Default {@code strata.io/storage-node=true}.
 *   <li>{@code levelLabels}: per level of the tree (region, site, room, row, rack), the node labels
 *       that name a node's domain at that level, the first present wins. Defaults: region {@code
 *       topology.kubernetes.io/region}; site {@code strata.io/site}, else {@code
 *       topology.kubernetes.io/zone}; room, row, rack {@code strata.io/room}, {@code
 *       strata.io/row}, {@code strata.io/rack}.
 *   <li>{@code labelPrefix}: a node label under this prefix that names no level (and is not the
 *       storage-node label) is reported as a mistake; default {@code strata.io/}.
 *   <li>{@code nodeGrace}: a node {@code NotReady} (or cordoned, see below) for this long counts as
 *       down; 0 s to 1 day, default 60 s. Sooner than a lost agent lease and the reconcile grace.
 *   <li>{@code cordonIsPlannedDrain}: a node cordoned for {@code nodeGrace} is drained (its pools
 *       take no new copies and are emptied) until it is uncordoned; default false: a cordon alone
 *       moves no data.
 *   <li>{@code disruptionLevel}: the level of the agents' PodDisruptionBudgets; default {@code
 *       rack}.
 *   <li>{@code agentLabels}: the labels of the agent pods; default the manifests' {@code
 *       app.kubernetes.io/name: strata, app.kubernetes.io/component: agent}.
 *   <li>{@code syncInterval}: how often the leader compares the nodes with the map, 100 ms to 10
 *       min, default 10 s; a change of the nodes is taken at the next one.
 *   <li>{@code manageAgents}: the leader manages the agents' DaemonSet ({@code agentDaemonSet},
 *       default {@code strata-agent}, container {@code agentContainer}, default {@code agent}): it
 *       runs {@code agentImage}, and the pods are replaced one {@code disruptionLevel} domain at a
 *       time, each once the one before has its agents heartbeating at {@code agentVersion} (both
 *       required then). Default false: the DaemonSet's own rolling update.
 * </ul>
 */
public class KubernetesFactory {
  private boolean enabled;

  private String masterUrl;

  @NotEmpty private String namespace = "strata";

  @NotNull
  @Pattern(regexp = "[^=\\s]+=[^=\\s]*", message = "must be key=value")
  private String storageNodeLabel = "strata.io/storage-node=true";

  @NotNull private Map<String, List<String>> levelLabels = defaultLevelLabels();

  @NotNull private String labelPrefix = "strata.io/";

  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration nodeGrace = Duration.seconds(60);

  private boolean cordonIsPlannedDrain;

  @NotNull private String disruptionLevel = "rack";

  @NotEmpty
  private Map<String, String> agentLabels =
      new LinkedHashMap<>(
          Map.of("app.kubernetes.io/name", "strata", "app.kubernetes.io/component", "agent"));

  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration syncInterval = Duration.seconds(10);

  private boolean manageAgents;

  @NotEmpty private String agentDaemonSet = "strata-agent";

  @NotEmpty private String agentContainer = "agent";

  private String agentImage;

  private String agentVersion;

  @ValidationMethod(message = "kubernetes.manageAgents needs agentImage and agentVersion")
  boolean isManagedAgentsValid() {
    return !manageAgents || agentImage != null && agentVersion != null;
  }

  @JsonProperty
  public boolean isManageAgents() {
    return manageAgents;
  }

  @JsonProperty
  public void setManageAgents(boolean manageAgents) {
    this.manageAgents = manageAgents;
  }

  @JsonProperty
  public String getAgentDaemonSet() {
    return agentDaemonSet;
  }

  @JsonProperty
  public void setAgentDaemonSet(String agentDaemonSet) {
    this.agentDaemonSet = agentDaemonSet;
  }

  @JsonProperty
  public String getAgentContainer() {
    return agentContainer;
  }

  @JsonProperty
  public void setAgentContainer(String agentContainer) {
    this.agentContainer = agentContainer;
  }

  @JsonProperty
  public String getAgentImage() {
    return agentImage;
  }

  @JsonProperty
  public void setAgentImage(String agentImage) {
    this.agentImage = agentImage;
  }

  @JsonProperty
  public String getAgentVersion() {
    return agentVersion;
  }

  @JsonProperty
  public void setAgentVersion(String agentVersion) {
    this.agentVersion = agentVersion;
  }

  static Map<String, List<String>> defaultLevelLabels() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put("region", List.of("topology.kubernetes.io/region"));
    out.put("site", List.of("strata.io/site", "topology.kubernetes.io/zone"));
    out.put("room", List.of("strata.io/room"));
    out.put("row", List.of("strata.io/row"));
    out.put("rack", List.of("strata.io/rack"));
    return out;
  }

  /** The label keys as the topology builder uses them. */
  public NodeLabels labels() {
    Map<DomainLevel, List<String>> byLevel = new LinkedHashMap<>();
    for (DomainLevel level : DomainLevel.values()) {
      List<String> keys = levelLabels.get(level.label());
      if (keys != null && !keys.isEmpty()) {
        byLevel.put(level, List.copyOf(keys));
      }
    }
    int eq = storageNodeLabel.indexOf('=');
    return new NodeLabels(
        byLevel,
        labelPrefix,
        storageNodeLabel.substring(0, eq),
        storageNodeLabel.substring(eq + 1));
  }

  @ValidationMethod(
      message =
          "kubernetes.levelLabels may name only region, site, room, row and rack, each with at least one"
              + " label, and region must be one of them")
  boolean isLevelLabelsValid() {
    for (Map.Entry<String, List<String>> e : levelLabels.entrySet()) {
      var level = DomainLevel.parse(e.getKey());
      if (level.isEmpty()
          || level.get() == DomainLevel.NODE
          || e.getValue() == null
          || e.getValue().isEmpty()) {
        return false;
      }
    }
    return levelLabels.containsKey("region");
  }

  @ValidationMethod(message = "kubernetes.disruptionLevel must be one of site, room, row, rack")
  boolean isDisruptionLevelValid() {
    return DomainLevel.parse(disruptionLevel)
        .filter(l -> l != DomainLevel.REGION && l != DomainLevel.NODE)
        .isPresent();
  }

  /** The level of the agents' disruption budgets. */
  public DomainLevel disruptionDomainLevel() {
    return DomainLevel.parse(disruptionLevel).orElse(DomainLevel.RACK);
  }

  /**
   * A client of the API server. It connects lazily: building it never fails for an unreachable
   * server, whose errors come with the first request. The caller closes it.
   */
  public KubernetesClient build() {
    Config config =
        masterUrl == null
            ? Config.autoConfigure(null)
            : new ConfigBuilder(Config.autoConfigure(null)).withMasterUrl(masterUrl).build();
    config.setNamespace(namespace);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public String getMasterUrl() {
    return masterUrl;
  }

  @JsonProperty
  public void setMasterUrl(String masterUrl) {
    this.masterUrl = masterUrl;
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
  public String getStorageNodeLabel() {
    return storageNodeLabel;
  }

  @JsonProperty
  public void setStorageNodeLabel(String storageNodeLabel) {
    this.storageNodeLabel = storageNodeLabel;
  }

  @JsonProperty
  public Map<String, List<String>> getLevelLabels() {
    return levelLabels;
  }

  @JsonProperty
  public void setLevelLabels(Map<String, List<String>> levelLabels) {
    this.levelLabels = levelLabels;
  }

  @JsonProperty
  public String getLabelPrefix() {
    return labelPrefix;
  }

  @JsonProperty
  public void setLabelPrefix(String labelPrefix) {
    this.labelPrefix = labelPrefix;
  }

  @JsonProperty
  public Duration getNodeGrace() {
    return nodeGrace;
  }

  @JsonProperty
  public void setNodeGrace(Duration nodeGrace) {
    this.nodeGrace = nodeGrace;
  }

  @JsonProperty
  public boolean isCordonIsPlannedDrain() {
    return cordonIsPlannedDrain;
  }

  @JsonProperty
  public void setCordonIsPlannedDrain(boolean cordonIsPlannedDrain) {
    this.cordonIsPlannedDrain = cordonIsPlannedDrain;
  }

  @JsonProperty
  public String getDisruptionLevel() {
    return disruptionLevel;
  }

  @JsonProperty
  public void setDisruptionLevel(String disruptionLevel) {
    this.disruptionLevel = disruptionLevel;
  }

  @JsonProperty
  public Map<String, String> getAgentLabels() {
    return agentLabels;
  }

  @JsonProperty
  public void setAgentLabels(Map<String, String> agentLabels) {
    this.agentLabels = agentLabels;
  }

  @JsonProperty
  public Duration getSyncInterval() {
    return syncInterval;
  }

  @JsonProperty
  public void setSyncInterval(Duration syncInterval) {
    this.syncInterval = syncInterval;
  }
}
