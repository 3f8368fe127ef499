package io.strata.controller;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.AgentApplication;
import io.strata.agent.ConfiguredInputException;
import io.strata.agent.PlainServerCommand;
import io.strata.agent.SecretReference;
import io.strata.agent.inventory.InventoryCollector;
import io.strata.agent.pool.PoolCredentials;
import io.strata.controller.agents.AgentRegistry;
import io.strata.controller.api.AgentResource;
import io.strata.controller.api.ClusterMapResource;
import io.strata.controller.api.DatasetResource;
import io.strata.controller.api.FleetView;
import io.strata.controller.api.IllegalArgumentExceptionMapper;
import io.strata.controller.api.JsonBodyErrors;
import io.strata.controller.api.LeaderResource;
import io.strata.controller.api.MovementResource;
import io.strata.controller.api.ObjectResource;
import io.strata.controller.api.OperatorResource;
import io.strata.controller.api.PolicyResource;
import io.strata.controller.api.ReplicaResource;
import io.strata.controller.api.TaskResource;
import io.strata.controller.audit.AuditEvent;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.capacity.CapacityHistory;
import io.strata.controller.capacity.CapacityMetrics;
import io.strata.controller.capacity.CapacitySample;
import io.strata.controller.datasets.Dataset;
import io.strata.controller.demo.DemoCommand;
import io.strata.controller.files.FileChange;
import io.strata.controller.health.PoolHealthCheck;
import io.strata.controller.health.ReadinessServlet;
import io.strata.controller.leader.AdvertisedUrl;
import io.strata.controller.leader.Leadership;
import io.strata.controller.leader.ReplicaAgreement;
import io.strata.controller.map.ClusterMapStore;
import io.strata.controller.reconcile.BucketKeeper;
import io.strata.controller.reconcile.MovementSwitch;
import io.strata.controller.reconcile.PolicyFiles;
import io.strata.controller.reconcile.RackBudget;
import io.strata.controller.reconcile.ReconcileMetrics;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.reconcile.ScaledClock;
import io.strata.controller.reconcile.ScrubStore;
import io.strata.controller.reconcile.ShardStore;
import io.strata.controller.reconcile.TaskQueue;
import io.strata.controller.security.Identities;
import io.strata.controller.security.IdentityFiles;
import io.strata.controller.zookeeper.ZooKeeperHealthCheck;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Strata controller, and the {@code strata} command line: {@code server}, {@code agent}, {@code
 * demo}, {@code policy}.
 */
public class StrataApplication extends Application<ControllerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(StrataApplication.class);

  private final Clock policyClock;

  /** The application on real time (scaled by {@code reconcile.timeScale}). */
  public StrataApplication() {
    this(null);
  }

  /**
   * The application with the clock that ages objects given: integration tests move it forward to
   * drive objects through their phases.
   */
  public StrataApplication(Clock policyClock) {
    this.policyClock = policyClock;
  }

  @Override
  public String getName() {
    return "strata";
  }

  @Override
  protected void addDefaultCommands(Bootstrap<ControllerConfiguration> bootstrap) {
    PlainServerCommand.addDefaults(this, bootstrap, StrataApplication::checkInputs);
  }

  @Override
  public void initialize(Bootstrap<ControllerConfiguration> bootstrap) {
    // Times travel as ISO-8601 text, readable in the API and the console alike.
    bootstrap.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    // ${NAME} and ${NAME:-default} in the YAML come from the environment: secrets such as a key
    // store password stay out of configuration files.
    AgentApplication.substituteEnvironment(bootstrap);
    bootstrap.addBundle(new AssetsBundle("/console", "/", "index.html", "console"));
    bootstrap.addCommand(new AgentCommand());
    bootstrap.addCommand(new DemoCommand());
  }

  @Override
  public void run(ControllerConfiguration config, Environment environment) throws Exception {
    Plan plan = Plan.read(config);
    ClusterMap seed = plan.seed();
    List<Dataset> datasets = plan.datasets();
    String replicaId = config.getReplicaId() != null ? config.getReplicaId() : defaultReplicaId();

    CuratorFramework curator =
        config.getZooKeeper().build(environment.lifecycle(), Path.of(config.getCredentialsDir()));
    ClusterMapStore maps = new ClusterMapStore(curator, seed);
    AgentRegistry agents =
        new AgentRegistry(
            curator,
            environment.getObjectMapper(),
            Clock.systemUTC(),
            config.getAgentLease().toJavaDuration(),
            replicaId);
    Leadership leadership = new Leadership(curator, replicaId);
    environment.lifecycle().manage(maps);
    environment.lifecycle().manage(agents);
    environment.lifecycle().manage(leadership);
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server ->
                leadership.setUrl(
                    config.getAdvertisedUrl() != null
                        ? config.getAdvertisedUrl()
                        : AdvertisedUrl.of(server, InventoryCollector::hostnameOrUnknown)));

    Clock clock = Clock.systemUTC();
    // Every change of the API is in the audit trail; so is every change of the policy files.
    AuditTrail trail =
        config
            .getAudit()
            .build(environment, replicaId, maps::current, Path.of(config.getCredentialsDir()));
    PolicyFiles policies =
        new PolicyFiles(
            config.getReconcile().getPolicyFiles().stream().map(Path::of).toList(),
            plan.policies(),
            plan.sources(),
            datasets,
            config.getReconcile().settings(),
            maps::current,
            clock,
            change -> auditFileChange(trail, change));
    environment.lifecycle().manage(policies);
    Clock ageClock =
        policyClock != null
            ? policyClock
            : new ScaledClock(clock, clock.instant(), config.getReconcile().getTimeScale());
    BucketKeeper buckets = new BucketKeeper(Path.of(config.getCredentialsDir()));
    ShardStore shards = new ShardStore(curator, environment.getObjectMapper());
    MovementSwitch movement = new MovementSwitch(curator);
    TaskQueue queue =
        new TaskQueue(
            curator,
            leadership,
            environment.getObjectMapper(),
            RackBudget.of(config.getReconcile().settings().rackBytesInFlight(), maps::current));
    Reconciler reconciler =
        new Reconciler(
            leadership,
            maps,
            agents,
            queue,
            shards,
            policies,
            datasets,
            buckets,
            movement,
            new ScrubStore(curator, leadership, environment.getObjectMapper()),
            config.getReconcile().settings(),
            clock,
            ageClock);
    environment.lifecycle().manage(reconciler);

    environment.jersey().setUrlPattern("/api/*");
    // Security baseline: who may call what (security/); the audit trail is built above.
    IdentityFiles identities =
        config
            .getSecurity()
            .build(
                environment, curator, Clock.systemUTC(), change -> auditFileChange(trail, change));
    ReplicaAgreement agreement =
        new ReplicaAgreement(curator, replicaId, identities, () -> policies.inForce().sha256());
    environment.lifecycle().manage(agreement);
    environment.jersey().register(new IllegalArgumentExceptionMapper());
    environment.jersey().register(new JsonBodyErrors.Malformed());
    environment.jersey().register(new JsonBodyErrors.Mismatched());
    environment.jersey().register(new ClusterMapResource(maps, agents));
    environment.jersey().register(new AgentResource(agents, maps, reconciler, leadership));
    environment.jersey().register(new OperatorResource(maps, policies));
    environment
        .jersey()
        .register(
            new MovementResource(
                movement, reconciler, datasets.stream().map(Dataset::name).toList()));
    environment.jersey().register(new TaskResource(reconciler, queue, leadership));
    environment
        .jersey()
        .register(
            new ObjectResource(
                datasets, maps, shards, buckets, policies, ageClock, config.getSite()));
    environment.jersey().register(new DatasetResource(datasets, shards));
    environment.jersey().register(new LeaderResource(leadership));
    environment.jersey().register(new ReplicaResource(agreement, leadership));
    environment.jersey().register(new PolicyResource(policies));
    // The capacity history lives beside the audit trail, in the system dataset.
    CapacityHistory capacity =
        config
            .getCapacity()
            .build(
                environment,
                trail.store().dataset(),
                () -> CapacitySample.of(clock.instant(), FleetView.pools(maps.current(), agents)),
                leadership::isLeader,
                replicaId,
                maps::current);

    PrometheusRegistry registry = new PrometheusRegistry();
    ControllerMetrics.register(registry, leadership, maps, agents, agreement, policies);
    ReconcileMetrics.register(registry, reconciler, queue);
    CapacityMetrics.register(registry, capacity, maps::current, clock);
    JvmMetrics.builder().register(registry);
    environment
        .servlets()
        .addServlet("metrics", new PrometheusMetricsServlet(registry))
        .addMapping("/metrics");

    environment.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(curator));
    environment
        .admin()
        .addServlet("ready", new ReadinessServlet(environment.healthChecks(), List.of("zookeeper")))
        .addMapping("/ready");
    Path credentialsDir = Path.of(config.getCredentialsDir());
    for (Pool pool : seed.pools().values()) {
      environment
          .healthChecks()
          .register("pool-" + pool.id(), new PoolHealthCheck(pool, credentialsDir));
    }
  }

  /**
   * Records a change of files a replica reads again (the policy files, the users and tokens files)
   * in the audit trail, as the API's changes are: {@code reload policies} or {@code reload
   * identities} on the files, with a digest of what is in force after it, 200 when taken and 422
   * when refused. Nobody is authenticated by a file, so the principal and role are {@code -}.
   */
  private static void auditFileChange(AuditTrail trail, FileChange change) {
    AuditEvent event =
        new AuditEvent(
            "-",
            "-",
            "reload " + change.what(),
            String.join(",", change.files().stream().map(Path::toString).toList()),
            change.sha256(),
            change.taken() ? 200 : 422,
            "file");
    try {
      trail.append(event);
    } catch (IOException | RuntimeException e) {
      LOG.error("AUDIT RECORD LOST for {} {}: {}", event.action(), event.outcome(), e.toString());
    }
  }

  /**
   * Reads what {@link #run} reads before it connects anywhere (the topology file, the datasets, the
   * policies, the users and tokens files, the ZooKeeper credentials, whether the audit spool can be
   * used) and stops at the first that cannot be used, for {@code check}. A pool whose credentials
   * cannot be read only warns: the controller starts without them and reports that pool unhealthy.
   */
  static String checkInputs(ControllerConfiguration config) throws Exception {
    Plan plan = Plan.read(config);
    ClusterMap map = plan.seed();
    Identities identities =
        Identities.load(
            Path.of(config.getSecurity().getUsersFile()),
            Path.of(config.getSecurity().getTokensFile()));
    Path credentialsDir = Path.of(config.getCredentialsDir());
    if (config.getZooKeeper().getDigest() != null) {
      try {
        SecretReference.read(config.getZooKeeper().getDigest(), credentialsDir, System.getenv());
      } catch (ConfiguredInputException e) {
        throw new ConfiguredInputException("zooKeeper.digest: " + e.getMessage());
      }
    }
    config.getAudit().checkSpoolDirectory();
    StringBuilder read =
        new StringBuilder("topology of ")
            .append(count(map.pools().size(), "pool", "pools"))
            .append(", ")
            .append(count(plan.datasets().size(), "dataset", "datasets"))
            .append(", ")
            .append(count(plan.policies().policies().size(), "policy", "policies"))
            .append(", ")
            .append(count(identities.userCount(), "user", "users"))
            .append(" and ")
            .append(count(identities.tokenCount(), "token", "tokens"));
    for (Pool pool : map.pools().values()) {
      try {
        PoolCredentials.resolve(pool.credentialsRef(), credentialsDir, System.getenv());
      } catch (ConfiguredInputException e) {
        read.append("\n  warning: pool ")
            .append(pool.id())
            .append(": ")
            .append(e.getMessage())
            .append(" (the controller starts, and reports the pool unhealthy)");
      }
    }
    return read.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String defaultReplicaId() {
    try {
      return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    } catch (IOException e) {
      return "controller-" + ProcessHandle.current().pid();
    }
  }

  public static void main(String[] args) throws Exception {
    new StrataApplication().run(args);
  }
}
