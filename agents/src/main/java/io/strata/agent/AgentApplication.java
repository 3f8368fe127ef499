package io.strata.agent;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.minio.MinioClient;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.dicom.PatientIdKey;
import io.strata.agent.inventory.InventoryCollector;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.mover.PoolEndpoint;
import io.strata.agent.pool.PoolCensus;
import io.strata.runtime.ConfiguredInputException;
import io.strata.runtime.Connectors;
import io.strata.runtime.EnvironmentSubstitution;
import io.strata.runtime.Hosts;
import io.strata.runtime.PlainServerCommand;
import io.strata.runtime.SecretReference;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node agent as a Dropwizard application: its own HTTP server serves {@code /metrics}
 * (Prometheus text) and {@code /status} to tokens of the role {@code metrics} ({@link
 * MetricsAccess}), and the admin health checks; the {@link Agent} does the work. {@code strata
 * agent agent.yml} runs it.
 */
public class AgentApplication extends Application<AgentConfiguration> {
  private volatile Agent agent;

  @Override
  public String getName() {
    return "strata-agent";
  }

  @Override
  protected void addDefaultCommands(Bootstrap<AgentConfiguration> bootstrap) {
    PlainServerCommand.addDefaults(this, bootstrap, AgentApplication::checkInputs);
  }

  /**
   * A mapper configured as the agent's own, which writes its heartbeats and reads the controller's
   * answers: for anything that must speak to a controller as an agent does.
   */
  public static ObjectMapper json() {
    return configure(Jackson.newObjectMapper());
  }

  /** Instants and durations travel as ISO-8601 strings. */
  private static ObjectMapper configure(ObjectMapper json) {
    return json.disable(
        SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
        SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  }

  @Override
  public void initialize(Bootstrap<AgentConfiguration> bootstrap) {
    configure(bootstrap.getObjectMapper());
    // One file serves every node of a DaemonSet, each naming itself from its node's name.
    EnvironmentSubstitution.apply(bootstrap);
  }

  @Override
  public void run(AgentConfiguration config, Environment environment) {
    String agentId = config.getAgentId() != null ? config.getAgentId() : Hosts.nameOrUnknown();
    PrometheusRegistry registry = new PrometheusRegistry();
    AgentMetrics metrics = new AgentMetrics(registry);

    Path credentialsDir = Path.of(config.getCredentialsDir());
    List<PoolCensus> censuses = new ArrayList<>();
    Map<String, PoolEndpoint> endpoints = new LinkedHashMap<>();
    // The censuses' clients share one HTTP client, closed when the agent stops.
    S3Clients censusClients = new S3Clients();
    environment.lifecycle().manage(new AutoCloseableManager(censusClients));
    for (AgentConfiguration.PoolFactory pool : config.getPools()) {
      PoolCredentials credentials = credentials(pool, credentialsDir);
      endpoints.put(
          pool.getId(),
          new PoolEndpoint(
              pool.getId(),
              URI.create(pool.getEndpoint()),
              credentials.accessKey(),
              credentials.secretKey()));
      if (pool.isServe()) {
        MinioClient client = censusClients.client(pool.getEndpoint(), credentials);
        censuses.add(new PoolCensus(pool.getId(), client, config.getMaxCensusObjects()));
      }
    }
    PoolDirectory directory = new PoolDirectory(endpoints, credentialsDir, System.getenv());
    TaskRunner runner =
        new TaskRunner(
            directory,
            MoverSettings.defaults(),
            patientIdKey(config, credentialsDir),
            registry,
            Clock.systemUTC());
    List<Path> dataPaths = config.getDataPaths().stream().map(Path::of).toList();

    agent =
        new Agent(
            agentId,
            config.getNode(),
            null,
            config.getHeartbeatInterval().toJavaDuration(),
            config.getCensusInterval().toJavaDuration(),
            new ControllerClient(
                config.getControllerUrl(),
                environment.getObjectMapper(),
                config.getControllerToken() == null
                    ? null
                    : SecretReference.read(
                        config.getControllerToken(), credentialsDir, System.getenv()),
                config.getControllerTls().build(credentialsDir, System.getenv())),
            new InventoryCollector(Path.of("/sys/block"), dataPaths),
            censuses,
            metrics,
            runner,
            directory,
            Clock.systemUTC());
    environment.lifecycle().manage(agent);
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server ->
                agent.setMetricsUrl(
                    "http://"
                        + advertisedHost()
                        + ":"
                        + Connectors.applicationPort(server)
                        + "/metrics"));

    // Who may read this port: tokens of the role metrics, or loopback when allowed.
    environment
        .servlets()
        .addFilter("metrics-access", config.getMetrics().build())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    environment
        .servlets()
        .addServlet("metrics", new PrometheusMetricsServlet(registry))
        .addMapping("/metrics");
    environment.jersey().register(new AgentStatusResource(agent));
    environment.healthChecks().register("controller", new ControllerHealthCheck(agent));
  }

  /** The fleet's patient-id key, or null when none is configured. */
  static PatientIdKey patientIdKey(AgentConfiguration config, Path dir) {
    if (config.getPatientIdKey() == null) {
      return null;
    }
    try {
      return PatientIdKey.of(SecretReference.read(config.getPatientIdKey(), dir, System.getenv()));
    } catch (IllegalArgumentException e) {
      throw new ConfiguredInputException("patientIdKey: " + e.getMessage());
    }
  }

  private static PoolCredentials credentials(AgentConfiguration.PoolFactory pool, Path dir) {
    try {
      return PoolCredentials.resolve(pool.getCredentials(), dir, System.getenv());
    } catch (ConfiguredInputException e) {
      throw new ConfiguredInputException("pools[" + pool.getId() + "]: " + e.getMessage());
    }
  }

  /**
   * Reads what {@link #run} reads before it starts (the controller token, the controller's trust
   * material, every pool's credentials) and names every one that cannot be used, for {@code check}.
   */
  static String checkInputs(AgentConfiguration config) {
    Path dir = Path.of(config.getCredentialsDir());
    List<String> problems = new ArrayList<>();
    if (config.getControllerToken() != null) {
      try {
        SecretReference.read(config.getControllerToken(), dir, System.getenv());
      } catch (ConfiguredInputException e) {
        problems.add("controllerToken: " + e.getMessage());
      }
    }
    try {
      patientIdKey(config, dir);
    } catch (ConfiguredInputException e) {
      problems.add(e.getMessage());
    }
    try {
      config.getControllerTls().build(dir, System.getenv());
    } catch (ConfiguredInputException e) {
      problems.add(e.getMessage());
    }
    try {
      config.getMetrics().build();
    } catch (ConfiguredInputException e) {
      problems.add(e.getMessage());
    }
    for (AgentConfiguration.PoolFactory pool : config.getPools()) {
      try {
        credentials(pool, dir);
      } catch (ConfiguredInputException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfiguredInputException(String.join("\n", problems));
    }
    return (config.getControllerToken() == null ? "no controller token" : "the controller token")
        + " and the credentials of "
        + config.getPools().size()
        + (config.getPools().size() == 1 ? " pool" : " pools")
        + " read";
  }

  private static String advertisedHost() {
    return Hosts.nameOrUnknown();
  }

  /** The running agent, once {@link #run} has been called. */
  public Agent agent() {
    return agent;
  }

  /** Healthy while the controller accepts this agent's heartbeats. */
  static final class ControllerHealthCheck extends HealthCheck {
    private final Agent agent;

    ControllerHealthCheck(Agent agent) {
      this.agent = agent;
    }

    @Override
    protected Result check() {
      String error = agent.lastError();
      if (error != null) {
        return Result.unhealthy("last heartbeat failed: " + error);
      }
      return agent.lastResponse() == null
          ? Result.unhealthy("not registered yet")
          : Result.healthy("registered, map epoch " + agent.lastResponse().mapEpoch());
    }
  }

  public static void main(String[] args) throws Exception {
    new AgentApplication().run(args);
  }
}
