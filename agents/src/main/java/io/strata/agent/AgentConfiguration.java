package io.strata.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of a node agent ({@code strata agent agent.yml}). {@code ${NAME}} and {@code
 * ${NAME:-default}} are replaced from the environment.
 *
 * <ul>
 *   <li>{@code agentId}: unique in the fleet; default the host name.
 *   <li>{@code node}: the id of this node's domain in the topology (optional, shown in the
 *       console).
 *   <li>{@code controllerUrl}: base URLs of the controller replicas, comma-separated; default
 *       {@code http://127.0.0.1:8080}. The agent follows the leader and falls back along the list.
 *   <li>{@code heartbeatInterval}: 1 s to 10 min, default 10 s.
 *   <li>{@code censusInterval}: how often the pools' use is counted, 1 s to 1 day, default 1 min.
 *   <li>{@code maxCensusObjects}: at most this many objects are listed per pool and census (1 to
 *       10^9, default 10^6); the count is marked partial beyond it.
 *   <li>{@code dataPaths}: the node's data paths whose file systems are reported.
 *   <li>{@code credentialsDir}: base for relative {@code file:} credential references.
 *   <li>{@code pools}: the pools this agent serves, with where to reach them.
 *   <li>{@code controllerToken}: where this agent's bearer token is ({@code file:PATH}, relative to
 *       {@code credentialsDir}, or {@code env:NAME}); none by default. Never the token itself.
 *   <li>{@code patientIdKey}: where the fleet's key for hashing the PatientIDs of DICOM headers is
 *       ({@code file:PATH} or {@code env:NAME}, at least 16 bytes); every agent of a fleet has the
 *       same. None by default: headers are still read, but no patient hash is kept, so no recall
 *       can name a patient's studies. Never the key itself.
 *   <li>{@code controllerTls}: what to trust for an {@code https://} controller; see {@link
 *       ControllerTlsFactory}.
 *   <li>{@code metrics.tokensFile}: who may read this agent's port ({@code /metrics}, {@code
 *       /status}): a file in the controller's tokens format (the controller's {@code tokens.yml}
 *       will do); tokens with the role {@code metrics} are admitted. None by default: then only
 *       loopback, if allowed, is.
 *   <li>{@code metrics.loopback}: requests from the loopback address need no token; default false.
 *       For a Prometheus on the same host, and the demo.
 * </ul>
 */
public class AgentConfiguration extends Configuration {
  @Pattern(
      regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
      message = "must be 1-128 letters, digits, '.', '_' or '-'")
  private String agentId;

  private String node;

  @NotEmpty
  @Pattern(
      regexp = "https?://[^,\\s]+(,\\s*https?://[^,\\s]+)*",
      message = "must be one or more http:// or https:// URLs, comma-separated")
  private String controllerUrl = "http://127.0.0.1:8080";

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration heartbeatInterval = Duration.seconds(10);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration censusInterval = Duration.minutes(1);

  @Min(1)
  @Max(1_000_000_000)
  private long maxCensusObjects = 1_000_000;

  @NotNull private List<String> dataPaths = new ArrayList<>();

  @NotNull private String credentialsDir = ".";

  @Valid @NotNull private List<PoolFactory> pools = new ArrayList<>();

  // Security baseline: the agent's own token, and trust for an https controller.
  @Pattern(regexp = "(file|env):.+", message = "must be a reference: file:PATH or env:NAME")
  private String controllerToken;

  @Pattern(regexp = "(file|env):.+", message = "must be a reference: file:PATH or env:NAME")
  private String patientIdKey;

  @Valid @NotNull private ControllerTlsFactory controllerTls = new ControllerTlsFactory();

  @Valid @NotNull private MetricsAccessFactory metrics = new MetricsAccessFactory();

  /** Who may read the agent's port; see {@link MetricsAccess}. */
  public static class MetricsAccessFactory {
    private String tokensFile;
    private boolean loopback;

    /** The filter these keys give; relative paths resolve against the working directory. */
    public MetricsAccess build() {
      return new MetricsAccess(
          tokensFile == null ? null : java.nio.file.Path.of(tokensFile), loopback);
    }

    @JsonProperty
    public String getTokensFile() {
      return tokensFile;
    }

    @JsonProperty
    public void setTokensFile(String tokensFile) {
      this.tokensFile = tokensFile;
    }

    @JsonProperty
    public boolean isLoopback() {
      return loopback;
    }

    @JsonProperty
    public void setLoopback(boolean loopback) {
      this.loopback = loopback;
    }
  }

  @JsonProperty
  public MetricsAccessFactory getMetrics() {
    return metrics;
  }

  @JsonProperty
  public void setMetrics(MetricsAccessFactory metrics) {
    this.metrics = metrics;
  }

  /** One pool this agent serves. */
  public static class PoolFactory {
    @NotEmpty private String id;

    @NotEmpty
    @Pattern(regexp = "https?://.+", message = "must be an http:// or https:// URL")
    private String endpoint;

    @NotEmpty private String credentials;

    private boolean serve = true;

    /**
     * True (the default) for a pool on this node: the agent counts it and runs its tasks. False for
     * a peer pool the agent only reads from when copying.
     */
    @JsonProperty
    public boolean isServe() {
      return serve;
    }

    @JsonProperty
    public void setServe(boolean serve) {
      this.serve = serve;
    }

    @JsonProperty
    public String getId() {
      return id;
    }

    @JsonProperty
    public void setId(String id) {
      this.id = id;
    }

    @JsonProperty
    public String getEndpoint() {
      return endpoint;
    }

    @JsonProperty
    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    /** A reference ({@code file:PATH} or {@code env:NAME}), never the secret. */
    @JsonProperty
    public String getCredentials() {
      return credentials;
    }

    @JsonProperty
    public void setCredentials(String credentials) {
      this.credentials = credentials;
    }
  }

  @JsonProperty
  public String getAgentId() {
    return agentId;
  }

  @JsonProperty
  public void setAgentId(String agentId) {
    this.agentId = agentId;
  }

  @JsonProperty
  public String getNode() {
    return node;
  }

  @JsonProperty
  public void setNode(String node) {
    this.node = node;
  }

  @JsonProperty
  public String getControllerUrl() {
    return controllerUrl;
  }

  @JsonProperty
  public void setControllerUrl(String controllerUrl) {
    this.controllerUrl = controllerUrl;
  }

  @JsonProperty
  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  @JsonProperty
  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  @JsonProperty
  public Duration getCensusInterval() {
    return censusInterval;
  }

  @JsonProperty
  public void setCensusInterval(Duration censusInterval) {
    this.censusInterval = censusInterval;
  }

  @JsonProperty
  public long getMaxCensusObjects() {
    return maxCensusObjects;
  }

  @JsonProperty
  public void setMaxCensusObjects(long maxCensusObjects) {
    this.maxCensusObjects = maxCensusObjects;
  }

  @JsonProperty
  public List<String> getDataPaths() {
    return dataPaths;
  }

  @JsonProperty
  public void setDataPaths(List<String> dataPaths) {
    this.dataPaths = dataPaths;
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
  public List<PoolFactory> getPools() {
    return pools;
  }

  @JsonProperty
  public void setPools(List<PoolFactory> pools) {
    this.pools = pools;
  }

  @JsonProperty
  public String getControllerToken() {
    return controllerToken;
  }

  @JsonProperty
  public void setControllerToken(String controllerToken) {
    this.controllerToken = controllerToken;
  }

  @JsonProperty
  public ControllerTlsFactory getControllerTls() {
    return controllerTls;
  }

  @JsonProperty
  public void setControllerTls(ControllerTlsFactory controllerTls) {
    this.controllerTls = controllerTls;
  }

  @JsonProperty
  public String getPatientIdKey() {
    return patientIdKey;
  }

  @JsonProperty
  public void setPatientIdKey(String patientIdKey) {
    this.patientIdKey = patientIdKey;
  }
}
