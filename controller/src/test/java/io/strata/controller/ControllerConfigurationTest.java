package io.strata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import io.dropwizard.util.JarLocation;
import io.strata.controller.files.PolicyFiles;
import io.strata.controller.reconcile.ReconcileFactory;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.policy.parse.PolicyLoader;
import io.strata.runtime.TestClock;
import io.strata.topology.DemoTopology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops start-up with a message that names the file and the key. */
class ControllerConfigurationTest {
  @TempDir Path dir;

  private <T extends io.dropwizard.core.Configuration> T load(
      Class<T> type, String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    // The same factory the applications' bootstrap uses, so the test sees what start-up sees.
    return new DefaultConfigurationFactoryFactory<T>()
        .create(type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new FileConfigurationSourceProvider(), file.toString());
  }

  @Test
  void unknownKeyIsNamedWithTheFile() {
    assertThatThrownBy(
            () -> load(ControllerConfiguration.class, "c.yml", "zookeper:\n  connectString: a:1\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("c.yml")
        .hasMessageContaining("zookeper")
        .hasMessageContaining("Did you mean");
  }

  @Test
  void negativeIntervalIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load(ControllerConfiguration.class, "c.yml", "agentLease: 0s\n"))
        .hasMessageContaining("agentLease")
        .hasMessageContaining("must be greater than or equal to 1 SECONDS");
  }

  @Test
  void kubernetesSettingsAreReadAndBadOnesNamed() throws Exception {
    ControllerConfiguration config =
        load(
            ControllerConfiguration.class,
            "c.yml",
            "kubernetes:\n  enabled: true\n  levelLabels: {region: [r], rack: [k8s.example/rack]}\n"
                + "  disruptionLevel: room\n");
    assertThat(config.getKubernetes().labels().byLevel())
        .containsEntry(io.strata.topology.DomainLevel.RACK, List.of("k8s.example/rack"));
    assertThat(config.getKubernetes().disruptionDomainLevel())
        .isEqualTo(io.strata.topology.DomainLevel.ROOM);

    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "kubernetes:\n  levelLabels: {region: [r], shelf: [s]}\n"))
        .hasMessageContaining("kubernetes.levelLabels")
        .hasMessageContaining("region, site, room, row and rack");
    assertThatThrownBy(
            () ->
                load(ControllerConfiguration.class, "c.yml", "kubernetes:\n  manageAgents: true\n"))
        .hasMessageContaining("manageAgents needs agentImage and agentVersion");
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "kubernetes:\n  storageNodeLabel: storage-node\n"))
        .hasMessageContaining("kubernetes.storageNodeLabel")
        .hasMessageContaining("key=value");
  }

  @Test
  void capacitySettingsAreReadAndBoundedNamingTheKey() throws Exception {
    ControllerConfiguration read =
        load(
            ControllerConfiguration.class,
            "c.yml",
            "capacity:\n  sampleInterval: 15m\n  window: 90d\n  keep: 800d\n");
    assertThat(read.getCapacity().getSampleInterval()).isEqualTo(Duration.minutes(15));
    assertThat(read.getCapacity().getWindow()).isEqualTo(Duration.days(90));
    assertThat(read.getCapacity().getKeep()).isEqualTo(Duration.days(800));
    assertThat(load(ControllerConfiguration.class, "d.yml", "{}").getCapacity().getKeep())
        .isEqualTo(Duration.days(400));
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "capacity:\n  sampleInterval: 2d\n  window: 10s\n"))
        .hasMessageContaining("c.yml")
        .hasMessageContaining("capacity.sampleInterval must be less than or equal to 1 DAYS")
        .hasMessageContaining("capacity.window must be greater than or equal to 1 MINUTES");
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "capacity:\n  window: 60d\n  keep: 30d\n"))
        .hasMessageContaining("capacity.keep must be at least capacity.window");
  }

  @Test
  void rackModelsAreReadAndABadOneIsRefusedNamingTheKey() throws Exception {
    ControllerConfiguration read =
        load(
            ControllerConfiguration.class,
            "c.yml",
            "capacity:\n  horizon: 730d\n  confidence: 0.9\n  rackModels:\n"
                + "    - {name: nvme-2u, tier: hot-nvme, usable: 1.5PB, powerKw: 6, cost: 400000,"
                + " leadTime: 120d}\n");
    var settings = read.getCapacity().planSettings();
    assertThat(settings.horizonDays()).isEqualTo(730);
    assertThat(settings.confidence()).isEqualTo(0.9);
    assertThat(settings.rackModels().get(0).usableBytes()).isEqualTo(1_500_000_000_000_000L);
    assertThat(settings.rackModels().get(0).leadTimeDays()).isEqualTo(120);
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "capacity:\n  horizon: 60d\n  confidence: 1.5\n  rackModels:\n"
                        + "    - {name: r, tier: hot, usable: -1PB, cost: -3, leadTime: 90d}\n"))
        .hasMessageContaining("capacity.confidence must be less than or equal to 0.999")
        .hasMessageContaining("capacity.rackModels[0].usableASize is false: usable must be a size")
        .hasMessageContaining("capacity.rackModels[0].cost must be greater than or equal to 0")
        .hasMessageContaining("capacity.rackModelsWithinHorizon is false");
  }

  @Test
  void shardThresholdsBalancerAndBudgetsAreBoundedNamingTheKey() throws Exception {
    ReconcileSettings read =
        load(
                ControllerConfiguration.class,
                "c.yml",
                "reconcile:\n  shardMaxObjects: 5000\n  shardMaxBytes: 1TiB\n"
                    + "  rackBytesPerSecond: 500MB/s\n  roomBytesPerSecond: 4GiB/s\n"
                    + "  balanceTarget: 1.1\n")
            .getReconcile()
            .settings();
    assertThat(read.shardMaxObjects()).isEqualTo(5000);
    assertThat(read.shardMaxBytes()).isEqualTo(1L << 40);
    assertThat(read.rackBytesPerSecond()).isEqualTo(500_000_000L);
    assertThat(read.roomBytesPerSecond()).isEqualTo(4L << 30);
    assertThat(read.balanceTarget()).isEqualTo(1.1);
    ReconcileSettings defaults =
        load(ControllerConfiguration.class, "d.yml", "{}").getReconcile().settings();
    assertThat(defaults.shardMaxObjects()).isEqualTo(20_000);
    assertThat(defaults.shardMaxBytes()).isEqualTo(32L << 40);
    assertThat(defaults.rackBytesPerSecond()).isEqualTo(2L << 30);

    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "reconcile:\n  shardMaxObjects: 0\n  shardMaxBytes: 0B\n  balanceTarget: 3\n"))
        .hasMessageContaining("c.yml")
        .hasMessageContaining("reconcile.shardMaxObjects must be greater than or equal to 10")
        .hasMessageContaining(
            "reconcile.shardMaxBytes must be greater than or equal to 1 MEBIBYTES")
        .hasMessageContaining("reconcile.balanceTarget must be less than or equal to 2");
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "reconcile:\n  rackBytesPerSecond: 2GiB\n"))
        .hasMessageContaining("c.yml")
        .hasMessageContaining("reconcile.rackBytesPerSecond: '2GiB' is not a bandwidth");
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "reconcile:\n  roomBytesPerSecond: 10KB/s\n"))
        .hasMessageContaining(
            "reconcile.roomBytesPerSecond: 10KB/s is not between 1 MiB/s and 1 TiB/s");
  }

  @Test
  void scrubSettingsAreReadAndAnIntervalPastTheDeadlineIsRefused() throws Exception {
    ReconcileSettings read =
        load(
                ControllerConfiguration.class,
                "c.yml",
                "reconcile:\n  scrubInterval: 10d\n  scrubDeadline: 14d\n"
                    + "  scrubBytesPerSecond: 1GiB/s\n")
            .getReconcile()
            .settings();
    assertThat(read.scrubInterval()).isEqualTo(java.time.Duration.ofDays(10));
    assertThat(read.scrubDeadline()).isEqualTo(java.time.Duration.ofDays(14));
    assertThat(read.scrubBytesPerSecond()).isEqualTo(1L << 30);
    ReconcileSettings defaults =
        load(ControllerConfiguration.class, "d.yml", "{}").getReconcile().settings();
    assertThat(defaults.scrubInterval()).isEqualTo(java.time.Duration.ofDays(20));
    assertThat(defaults.scrubDeadline()).isEqualTo(java.time.Duration.ofDays(30));
    assertThat(defaults.scrubBytesPerSecond()).isEqualTo(512L << 20);

    assertThatThrownBy(
            () ->
                load(ControllerConfiguration.class, "c.yml", "reconcile:\n  scrubInterval: 40d\n"))
        .hasMessageContaining("c.yml")
        .hasMessageContaining(
            "reconcile.scrubInterval must not be longer than reconcile.scrubDeadline");
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "reconcile:\n  scrubBytesPerSecond: 10KB/s\n"))
        .hasMessageContaining(
            "reconcile.scrubBytesPerSecond: 10KB/s is not between 1 MiB/s and 1 TiB/s");
  }

  @Test
  void badZooKeeperAddressAndDatasetNameAreRefused() {
    assertThatThrownBy(
            () ->
                load(
                    ControllerConfiguration.class,
                    "c.yml",
                    "zookeeper: {connectString: 'no port'}\ndatasets: [{name: Bad_Name}]\n"))
        .hasMessageContaining("zookeeper.connectString must be host:port")
        .hasMessageContaining("datasets[0].name must be an S3 bucket name");
  }

  @Test
  void topologyWithAPoolWithoutEndpointIsNamed() throws Exception {
    String topology = DemoTopology.text().replace("endpoint: \"http://127.0.0.1:19103\", ", "");
    Path file = dir.resolve("topology.yaml");
    Files.writeString(file, topology);
    assertThatThrownBy(() -> Plan.loadTopology(file.toString()))
        .isInstanceOf(TopologyConfigurationException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("pool 'czzl-b-r01-hot' has no endpoint");
  }

  @Test
  void missingTopologyFileIsNamed() {
    assertThatThrownBy(() -> Plan.loadTopology(dir.resolve("none.yaml").toString()))
        .hasMessageContaining("topologyFile: cannot read")
        .hasMessageContaining("none.yaml");
  }

  @Test
  void advertisedUrlMustBeAnAddressAgentsCanReach() throws Exception {
    // An environment variable left unset stays as written: refused, not published to agents.
    for (String bad :
        List.of("${STRATA_POD_IP}:8080", "http://${STRATA_POD_IP}:8080", "ftp://ctl:21", "ctl")) {
      assertThatThrownBy(
              () -> load(ControllerConfiguration.class, "c.yml", "advertisedUrl: '" + bad + "'\n"))
          .as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("c.yml")
          .hasMessageContaining("advertisedUrl must be http(s)://host:port");
    }
    for (String good :
        List.of("http://10.1.4.7:8080", "https://ctl-2.strata:8443/", "http://[fd00::7]:80")) {
      assertThat(
              load(ControllerConfiguration.class, "c.yml", "advertisedUrl: '" + good + "'\n")
                  .getAdvertisedUrl())
          .isEqualTo(good);
    }
  }

  @Test
  void replicasStartedAtDifferentTimesAgeObjectsAlikeFromASharedTimeOrigin() throws Exception {
    String yaml = "reconcile:\n  timeScale: 100000\n  timeOrigin: 2026-12-06T12:00:00Z\n";
    Instant origin = Instant.parse("2026-12-06T12:00:00Z");
    // One replica starts at the origin; the other, a leader killed and started again, 90 s later.
    TestClock wall = new TestClock(origin);
    Clock first = load(ControllerConfiguration.class, "a.yml", yaml).getReconcile().ageClock(wall);
    wall.advance(java.time.Duration.ofSeconds(90));
    Clock restarted =
        load(ControllerConfiguration.class, "b.yml", yaml).getReconcile().ageClock(wall);
    wall.advance(java.time.Duration.ofSeconds(10));

    // 100 s after the origin both read 100 s x 100,000 (about 115.7 days) after it.
    assertThat(restarted.instant())
        .isEqualTo(first.instant())
        .isEqualTo(origin.plusSeconds(100L * 100_000));
  }

  @Test
  void withoutTimeOriginTheAgeClockCountsFromTheReplicasStart() throws Exception {
    Instant start = Instant.parse("2026-12-06T12:00:00Z");
    TestClock wall = new TestClock(start);
    Clock aged =
        load(ControllerConfiguration.class, "c.yml", "reconcile:\n  timeScale: 1000\n")
            .getReconcile()
            .ageClock(wall);
    wall.advance(java.time.Duration.ofSeconds(2));

    assertThat(aged.instant()).isEqualTo(start.plusSeconds(2000));
  }

  @Test
  void defaultsAreValid() throws Exception {
    ControllerConfiguration config = load(ControllerConfiguration.class, "c.yml", "{}\n");
    assertThat(config.getAgentLease().toSeconds()).isEqualTo(30);
    assertThat(config.getZooKeeper().getConnectString()).isEqualTo("127.0.0.1:2181");
    assertThat(config.getAdvertisedUrl()).isNull();
  }

  @Test
  void checkReadsWhatTheConfigurationNamesAndSaysWhatIsWrongAlone() throws Exception {
    Path topology = dir.resolve("topology.yaml");
    Path tokens = dir.resolve("tokens.yml");
    Path config = dir.resolve("c.yml");
    Files.writeString(
        config,
        """
        topologyFile: %s
        credentialsDir: %s
        datasets: [{name: h01-imaging, policy: imaging-archive}]
        security: {usersFile: %s, tokensFile: %s}
        """
            .formatted(topology, dir, dir.resolve("users.yml"), tokens));

    Files.writeString(
        topology, DemoTopology.text().replace("tier: warm-hdd, endpoint", "tier: warm, endpoint"));
    Checked bad = check(config);
    assertThat(bad.failed()).isTrue();
    assertThat(bad.err()).contains("tier 'warm' is unknown").doesNotContain("\tat ");

    Files.writeString(topology, DemoTopology.text());
    Files.writeString(tokens, "tokens:\n  - {name: t, sha256: abc, roles: [viewer]}\n");
    Checked badToken = check(config);
    assertThat(badToken.failed()).isTrue();
    assertThat(badToken.err())
        .contains(tokens + ": tokens[0]: sha256 must be 64 lower-case hex digits")
        .doesNotContain("\tat ");

    Files.delete(tokens);
    Checked ok = check(config);
    assertThat(ok.failed()).as(ok.err()).isFalse();
    assertThat(ok.out())
        .contains(
            "configuration OK: topology of 8 pools, 1 dataset, 1 policy, 0 users and 0 tokens")
        // The demo's pools name credentials files this directory does not have.
        .contains(
            "warning: pool czzl-a-r01-hot: credentials file:pools/czzl-a-r01-hot.credentials");
  }

  private record Checked(boolean failed, String out, String err) {}

  /** Runs {@code strata check FILE} as the command line does, without exiting. */
  private static Checked check(Path config) throws Exception {
    StrataApplication application = new StrataApplication();
    var bootstrap = new Bootstrap<>(application);
    application.addDefaultCommands(bootstrap);
    application.initialize(bootstrap);
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    // check prints its success on standard output, which the command does not take as a stream.
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      var failed =
          new Cli(new JarLocation(StrataApplication.class), bootstrap, out, err)
              .run("check", config.toString());
      return new Checked(failed.isPresent(), out.toString(), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void replicasPlanAlikeExactlyWhenTheirPoliciesDatasetsAndSettingsAreTheSame() throws Exception {
    Path one = Files.writeString(dir.resolve("a.yaml"), "name: a\n");
    Path two = Files.writeString(dir.resolve("b.yaml"), "name: b\n");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path twoElsewhere = Files.copy(two, elsewhere.resolve("b-copy.yaml"));
    var datasets = List.of(new Dataset("h01", "", "a", List.of("p1"), false));
    var settings = new ReconcileFactory().settings();

    String digest = digest(List.of(one.toString(), two.toString()), datasets, settings);

    assertThat(digest(List.of(twoElsewhere.toString(), one.toString()), datasets, settings))
        .as("the same texts, at other paths, in another order")
        .isEqualTo(digest);
    assertThat(digest(List.of(one.toString()), datasets, settings))
        .as("a policy fewer")
        .isNotEqualTo(digest);
    var landingElsewhere = List.of(new Dataset("h01", "", "a", List.of("p2"), false));
    assertThat(digest(List.of(one.toString(), two.toString()), landingElsewhere, settings))
        .as("another landing pool")
        .isNotEqualTo(digest);
    var longerGrace = new ReconcileFactory();
    longerGrace.setGrace(Duration.minutes(30));
    assertThat(digest(List.of(one.toString(), two.toString()), datasets, longerGrace.settings()))
        .as("another grace period")
        .isNotEqualTo(digest);
  }

  /** {@link PolicyFiles#digest} of the texts of {@code files}, as a replica reads them. */
  private static String digest(
      List<String> files, List<Dataset> datasets, ReconcileSettings settings) {
    return PolicyFiles.digest(
        PolicyLoader.readFiles(files.stream().map(Path::of).toList()).sources(),
        datasets,
        settings);
  }
}
