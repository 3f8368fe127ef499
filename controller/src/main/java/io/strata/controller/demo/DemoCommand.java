package io.strata.controller.demo;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code strata demo}: the whole system on embedded defaults, until Ctrl-C. A second run resumes
 * from the data directory.
 */
public class DemoCommand extends Command {
  public DemoCommand() {
    super("demo", "Runs the whole system embedded: ZooKeeper, S3 pools, controller, agents");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser
        .addArgument("--data-dir")
        .setDefault("strata-data")
        .help("where everything is kept (default ./strata-data)");
    subparser
        .addArgument("--port")
        .type(Integer.class)
        .setDefault(8080)
        .help("controller port on 127.0.0.1 (default 8080; admin port is one more)");
    subparser
        .addArgument("--studies")
        .type(Integer.class)
        .setDefault(60)
        .help("synthetic studies per hospital written on the first run (default 60)");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    Path dataDir = Path.of(namespace.getString("data_dir"));
    int port = namespace.getInt("port");
    int studies = namespace.getInt("studies");
    if (port < 1 || port > 65534) {
      throw new IllegalArgumentException("--port must be 1..65534, got " + port);
    }
    if (studies < 0 || studies > 100_000) {
      throw new IllegalArgumentException("--studies must be 0..100000, got " + studies);
    }
    DemoFleet.Ports ports =
        new DemoFleet.Ports(
            port, DemoFleet.Ports.DEFAULT.zookeeper(), DemoFleet.Ports.DEFAULT.firstAgent());
    DemoFleet fleet = DemoFleet.start(dataDir, ports, studies);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nstopping the demo ...");
                  try {
                    fleet.close();
                  } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                  }
                  stopped.countDown();
                },
                "demo-shutdown"));
    String base = "http://127.0.0.1:" + fleet.controllerPort();
    System.out.println();
    System.out.println("Strata demo is running (data in " + fleet.dataDir() + ")");
    System.out.println("  console:            " + base + "/");
    System.out.println("  REST API:           " + base + "/api/v1/cluster-map");
    System.out.println("  controller metrics: " + base + "/metrics");
    System.out.println(
        "  health checks:      http://127.0.0.1:" + (fleet.controllerPort() + 1) + "/healthcheck");
    System.out.println(
        "  agent metrics:      http://127.0.0.1:"
            + fleet.agentPorts().get(0)
            + "/metrics (one port per agent, "
            + fleet.agentPorts().get(0)
            + ".."
            + fleet.agentPorts().get(fleet.agentPorts().size() - 1)
            + ")");
    System.out.println(
        "  S3 pools:           "
            + fleet.map().pools().size()
            + " pools on 127.0.0.1:"
            + fleet.map().pools().values().iterator().next().endpoint().replaceAll(".*:", "")
            + "..");
    System.out.println(
        "  credentials:        "
            + fleet.dataDir().resolve("pools")
            + "/<pool>.credentials (S3 access and secret key of each pool)");
    var security = fleet.security();
    if (security.newAdminPassword() != null) {
      System.out.println(
          "  console login:      user "
              + security.adminUser()
              + ", password "
              + security.newAdminPassword()
              + "  (shown this once; kept in "
              + security.adminPasswordFile()
              + ", mode 600)");
    } else {
      System.out.println(
          "  console login:      user "
              + security.adminUser()
              + ", password in "
              + security.adminPasswordFile());
    }
    System.out.println(
        "  API tokens:         "
            + security.dir()
            + "/agents/<node>.token (agents); users.yml and tokens.yml hold hashes only");
    System.out.println("  task queue:         " + base + "/api/v1/tasks");
    System.out.println(
        "  time:               objects age about a day per second in the demo"
            + " (reconcile.timeScale: 100000)");
    System.out.println("Press Ctrl-C to stop; the next run resumes from the data directory.");
    stopped.await();
  }
}
