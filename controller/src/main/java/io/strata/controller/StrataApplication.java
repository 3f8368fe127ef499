package io.strata.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.lifecycle.Managed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.controller.audit.AuditEvent;
import io.strata.controller.audit.AuditFilter;
import io.strata.controller.audit.AuditGate;
import io.strata.controller.audit.AuditResource;
import io.strata.controller.audit.AuditTagFilter;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.capacity.CapacityHistory;
import io.strata.controller.capacity.CapacityMetrics;
import io.strata.controller.capacity.CapacityPlanResource;
import io.strata.controller.capacity.CapacityResource;
import io.strata.controller.capacity.MonthlyReports;
import io.strata.controller.files.FileChange;
import io.strata.controller.files.PolicyFiles;
import io.strata.controller.http.AdvertisedUrl;
import io.strata.controller.http.AgentResource;
import io.strata.controller.http.ClusterMapResource;
import io.strata.controller.http.ConditionalGetFilter;
import io.strata.controller.http.DatasetResource;
import io.strata.controller.http.ExpiryResource;
import io.strata.controller.http.FleetView;
import io.strata.controller.http.HoldResource;
import io.strata.controller.http.IllegalArgumentExceptionMapper;
import io.strata.controller.http.JsonBodyErrors;
import io.strata.controller.http.LeaderResource;
import io.strata.controller.http.LedgerResource;
import io.strata.controller.http.MovementResource;
import io.strata.controller.http.ObjectResource;
import io.strata.controller.http.OperatorResource;
import io.strata.controller.http.PolicyResource;
import io.strata.controller.http.PreviewResource;
import io.strata.controller.http.RackResource;
import io.strata.controller.http.ReadinessServlet;
import io.strata.controller.http.RecallResource;
import io.strata.controller.http.RelayResource;
import io.strata.controller.http.ReplicaResource;
import io.strata.controller.http.TaskResource;
import io.strata.controller.kubernetes.AgentBudgets;
import io.strata.controller.kubernetes.AgentRollout;
import io.strata.controller.kubernetes.DrainCheck;
import io.strata.controller.kubernetes.KubernetesFactory;
import io.strata.controller.kubernetes.KubernetesHealthCheck;
import io.strata.controller.kubernetes.NodeWatch;
import io.strata.controller.reconcile.DestructionCertificates;
import io.strata.controller.reconcile.NodeConditions;
import io.strata.controller.reconcile.ReconcileMetrics;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.relay.HeartbeatRelay;
import io.strata.controller.relay.RelayHealthCheck;
import io.strata.controller.relay.WorkSignals;
import io.strata.controller.s3.BucketKeeper;
import io.strata.controller.s3.PoolHealthCheck;
import io.strata.controller.s3.S3ClientFactory;
import io.strata.controller.s3.VerificationTimesStore;
import io.strata.controller.security.ApiSecurity;
import io.strata.controller.security.Identities;
import io.strata.controller.security.IdentityResource;
import io.strata.controller.security.SecurityFactory;
import io.strata.controller.security.SessionResource;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.MovementSwitch;
import io.strata.controller.zookeeper.RecallStore;
import io.strata.controller.zookeeper.ReplicaAgreement;
import io.strata.controller.zookeeper.ScrubStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.controller.zookeeper.ZooKeeperHealthCheck;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.fleet.reconcile.RackBudget;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.runtime.ConfiguredInputException;
import io.strata.runtime.EnvironmentSubstitution;
import io.strata.runtime.Hosts;
import io.strata.runtime.PlainServerCommand;
import io.strata.runtime.SecretReference;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Strata controller: {@code server} and {@code check}. The agent ({@code
 * io.strata.agent.AgentApplication}) and the demo ({@code io.strata.demo.DemoApplication}) are
 * programs of their own.
 */
public class StrataApplication extends Application<ControllerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(StrataApplication.class);

  private final Clock policyClock;

  /** The ZooKeeper client of the running application; null before {@code run}. */
  private volatile CuratorFramework curator;

  /**
   * The ZooKeeper client this application runs with, for tests that make its session expire the way
   * a crash does; null before it runs.
   */
  public CuratorFramework curator() {
    return curator;
  }

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
    EnvironmentSubstitution.apply(bootstrap);
    bootstrap.addBundle(new AssetsBundle("/console", "/", "index.html", "console"));
  }

  /**
   * Wires the controller by hand, in four steps: coordination state in ZooKeeper, the reconciler
   * over it, who may call what (and the audit trail of it), then every HTTP route, metric and
   * health check this replica serves. Every route is registered here: factories only build.
   */
  @Override
  public void run(ControllerConfiguration config, Environment environment) throws Exception {
    Plan plan = Plan.read(config);
    List<Dataset> datasets = plan.datasets();
    String replicaId = config.getReplicaId() != null ? config.getReplicaId() : defaultReplicaId();
    Path credentialsDir = Path.of(config.getCredentialsDir());
    ObjectMapper json = environment.getObjectMapper();
    Clock clock = Clock.systemUTC();

    // ZooKeeper: the cluster map, the agents, leadership, shards, the task queue.
    CuratorFramework curator = config.getZooKeeper().build(environment.lifecycle(), credentialsDir);
    this.curator = curator;
    ClusterMapStore maps = manage(environment, new ClusterMapStore(curator, plan.seed()));
    AgentRegistry agents =
        manage(
            environment,
            new AgentRegistry(
                curator, json, clock, config.getAgentLease().toJavaDuration(), replicaId));
    Leadership leadership = manage(environment, new Leadership(curator, replicaId));
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server ->
                leadership.setUrl(
                    config.getAdvertisedUrl() != null
                        ? config.getAdvertisedUrl()
                        : AdvertisedUrl.of(server, Hosts::nameOrUnknown)));
    ShardStore shards = manage(environment, new ShardStore(curator, json));
    MovementSwitch movement = new MovementSwitch(curator);
    ReconcileSettings settings = config.getReconcile().settings();
    S3ClientFactory pools = manage(environment, new S3ClientFactory(credentialsDir));

    // Every change of the API is in the audit trail; so is every change of the policy files.
    AuditTrail trail =
        manage(environment, config.getAudit().build(json, replicaId, maps::current, pools));
    PolicyFiles policies =
        manage(
            environment,
            new PolicyFiles(
                config.getReconcile().getPolicyFiles().stream().map(Path::of).toList(),
                plan.policies(),
                plan.sources(),
                datasets,
                settings,
                maps::current,
                clock,
                change -> auditFileChange(trail, change)));
    MovementBudgets budgets =
        new MovementBudgets(
            MovementBudgets.rates(
                settings.rackBytesPerSecond(), settings.roomBytesPerSecond(), policies),
            maps::current,
            settings.scrubBytesPerSecond());
    TaskQueue queue =
        new TaskQueue(
            curator,
            leadership,
            json,
            RackBudget.of(settings.rackBytesInFlight(), maps::current),
            budgets);
    // Idle agents wait for work on the replica they beat to; work queued wakes them.
    WorkSignals signals = manage(environment, new WorkSignals());
    queue.onWork(signals::workFor);
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStopping(LifeCycle server) {
                signals.endAll(); // Before the server's graceful stop waits for their requests.
              }
            });

    // Kubernetes, when enabled: the nodes' labels make the tree, their conditions mark pools down.
    KubernetesFactory k8s = config.getKubernetes();
    KubernetesClient kubernetes = k8s.isEnabled() ? k8s.build() : null;
    if (kubernetes != null) {
      manage(environment, onStop(kubernetes::close)); // Stopped after everything that uses it.
    }
    NodeWatch nodes =
        kubernetes == null
            ? null
            : manage(
                environment,
                new NodeWatch(kubernetes, k8s, maps, policies, leadership::isLeader, clock));

    // The reconciler: the leader's rounds, and the agents' heartbeats.
    Clock ageClock = policyClock != null ? policyClock : config.getReconcile().ageClock(clock);
    RecallStore recalls = new RecallStore(curator, json);
    ExpiryStore expiries = new ExpiryStore(curator, json);
    DestructionCertificates certificates =
        new DestructionCertificates(trail.store().dataset(), trail, json);
    Reconciler reconciler =
        manage(
            environment,
            new Reconciler(
                leadership,
                maps,
                agents,
                queue,
                shards,
                policies,
                datasets,
                new BucketKeeper(pools),
                movement,
                new ScrubStore(curator, leadership, json),
                settings,
                clock,
                ageClock,
                nodes == null ? NodeConditions.NONE : nodes,
                recalls,
                expiries,
                certificates,
                new VerificationTimesStore(trail.store().dataset())));
    signals.watch(
        () -> {
          TaskQueue.Leasable found = reconciler.workLeasable();
          return new WorkSignals.Look(
              found.pools(),
              found.next() == null ? null : Duration.between(clock.instant(), found.next()));
        });
    AgentBudgets agentBudgets =
        kubernetes == null
            ? null
            : manage(
                environment,
                new AgentBudgets(
                    kubernetes,
                    k8s,
                    maps,
                    nodes,
                    (domains, level) ->
                        reconciler.sharingCopies(domains, level, Duration.ofSeconds(60)),
                    leadership::isLeader));
    CapacityHistory capacity =
        manage(
            environment,
            config
                .getCapacity()
                .build(
                    json,
                    clock,
                    trail.store().dataset(),
                    () ->
                        CapacitySample.of(clock.instant(), FleetView.pools(maps.current(), agents))
                            .withDatasets(reconciler.datasetBytes()),
                    leadership::isLeader,
                    replicaId));
    MonthlyReports monthly =
        manage(
            environment,
            new MonthlyReports(
                trail.store().dataset(), capacity, maps::current, leadership::isLeader, clock));

    // Who may call what (security/), and the replicas' agreement on it and on the policies.
    SecurityFactory.Security security =
        config.getSecurity().build(curator, clock, change -> auditFileChange(trail, change));
    manage(environment, security.identities());
    manage(environment, security.store());
    manage(environment, security.throttle());
    ReplicaAgreement agreement =
        manage(
            environment,
            new ReplicaAgreement(
                curator, replicaId, security.identities(), () -> policies.inForce().sha256()));
    environment
        .servlets()
        .addFilter("web-security", security.webFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    environment
        .servlets()
        .addFilter("audit", new AuditFilter(trail))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/*");

    // The HTTP API under /api: every route this replica serves.
    JerseyEnvironment api = environment.jersey();
    api.setUrlPattern("/api/*");
    ApiSecurity.register(api, security.store(), security.sessions(), security.throttle());
    api.register(new AuditTagFilter());
    api.register(new AuditGate());
    api.register(new IllegalArgumentExceptionMapper());
    api.register(new JsonBodyErrors.Malformed());
    api.register(new JsonBodyErrors.Mismatched());
    api.register(new ConditionalGetFilter(json));
    api.register(
        new SessionResource(
            security.store(), security.sessions(), security.throttle(), security.secureCookie()));
    api.register(new IdentityResource(security.store(), security.sessions()));
    api.register(new AuditResource(trail, clock));
    api.register(new ClusterMapResource(maps, agents));
    // A follower with a relay takes its agents' heartbeats whole and hands the leader their task
    // side in batches; every replica takes such batches while it leads.
    HeartbeatRelay relay = null;
    if (config.getRelay().enabled()) {
      relay =
          new HeartbeatRelay(
              leadership::currentLeaderUrl, json, config.getRelay().settings(), clock);
      relay.wakeAgents(signals, leadership::isLeader);
      manage(environment, relay);
    }
    api.register(new AgentResource(agents, maps, reconciler, leadership, relay, signals));
    api.register(new RelayResource(reconciler, leadership, signals));
    api.register(
        new OperatorResource(
            maps,
            policies,
            nodes == null
                ? OperatorResource.DrainCheck.NONE
                : new DrainCheck(
                    k8s.disruptionDomainLevel(),
                    nodes::nodes,
                    (domains, level) ->
                        reconciler.sharingCopies(domains, level, Duration.ofSeconds(60))),
            datasets));
    api.register(
        new PreviewResource(
            maps,
            policies,
            reconciler,
            budgets::rates,
            leadership,
            Duration.ofSeconds(60),
            datasets));
    api.register(
        new MovementResource(movement, reconciler, datasets.stream().map(Dataset::name).toList()));
    api.register(new TaskResource(reconciler, queue, leadership));
    api.register(
        new RecallResource(
            recalls,
            reconciler,
            leadership,
            datasets.stream().map(Dataset::name).toList(),
            config.getReconcile().getRecallHold().toJavaDuration(),
            ageClock,
            Duration.ofSeconds(30)));
    api.register(
        new LedgerResource(
            reconciler, leadership, datasets.stream().map(Dataset::name).toList(), clock));
    api.register(
        new ExpiryResource(
            expiries,
            certificates,
            reconciler,
            leadership,
            policies,
            datasets.stream().map(Dataset::name).toList(),
            clock,
            ageClock));
    api.register(new HoldResource(expiries, datasets.stream().map(Dataset::name).toList(), clock));
    api.register(new RackResource(maps, agents, reconciler, queue));
    api.register(
        new ObjectResource(
            datasets,
            maps,
            shards,
            pools,
            policies,
            ageClock,
            config.getSite(),
            recalls,
            reconciler::planningFacts));
    api.register(new DatasetResource(datasets, shards));
    api.register(new LeaderResource(leadership, reconciler.status()));
    api.register(new ReplicaResource(agreement, leadership));
    api.register(new PolicyResource(policies));
    api.register(new CapacityResource(capacity, monthly, maps::current, clock));
    api.register(
        new CapacityPlanResource(
            capacity, maps::current, policies, config.getCapacity().planSettings(), clock));

    // Metrics and health.
    PrometheusRegistry registry = new PrometheusRegistry();
    ControllerMetrics.register(registry, leadership, maps, agents, agreement, policies, trail);
    ControllerMetrics.registerWorkWaits(registry, signals);
    if (relay != null) {
      ControllerMetrics.registerRelay(registry, relay);
      environment.healthChecks().register("heartbeat-relay", new RelayHealthCheck(relay));
    }
    ReconcileMetrics.register(registry, reconciler, queue);
    CapacityMetrics.register(registry, capacity, maps::current, clock);
    JvmMetrics.builder().register(registry);
    environment
        .servlets()
        .addServlet("metrics", new PrometheusMetricsServlet(registry))
        .addMapping("/metrics");
    environment.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(curator));
    if (kubernetes != null) {
      AgentRollout rollout =
          k8s.isManageAgents()
              ? manage(
                  environment,
                  new AgentRollout(
                      kubernetes,
                      k8s,
                      maps,
                      nodes,
                      agentBudgets,
                      agents::list,
                      leadership::isLeader))
              : null;
      environment
          .healthChecks()
          .register("kubernetes", new KubernetesHealthCheck(nodes, agentBudgets, rollout));
    }
    environment
        .admin()
        .addServlet("ready", new ReadinessServlet(environment.healthChecks(), List.of("zookeeper")))
        .addMapping("/ready");
    Duration poolCheckInterval = PoolHealthCheck.interval(plan.seed().pools().size());
    for (Pool pool : plan.seed().pools().values()) {
      environment
          .healthChecks()
          .register(
              "pool-" + pool.id(), new PoolHealthCheck(pool, pools, poolCheckInterval, clock));
    }
  }

  /** Something to do once as the server stops. */
  private static Managed onStop(Runnable stop) {
    return new Managed() {
      @Override
      public void stop() {
        stop.run();
      }
    };
  }

  /** Hands {@code managed} to the lifecycle, started and stopped once with the server. */
  private static <T extends Managed> T manage(Environment environment, T managed) {
    environment.lifecycle().manage(managed);
    return managed;
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
    // The reports' charts draw through AWT: never reach for a display, even where DISPLAY is set.
    System.setProperty("java.awt.headless", "true");
    new StrataApplication().run(args);
  }
}
