package io.strata.demo;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.impl.Arguments;
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
        .choices(Arguments.range(1, 65534))
        .setDefault(8080)
        .help("controller port on 127.0.0.1 (default 8080; admin port is one more)");
    subparser
        .addArgument("--hospitals")
        .type(Integer.class)
        .choices(Arguments.range(1, DemoHospitals.MAX))
        .setDefault(DemoHospitals.DEFAULT)
        .help(
            "hospitals feeding the fleet, each with an imaging archive of DICOM files and"
                + " inpatient and outpatient records (default "
                + DemoHospitals.DEFAULT
                + ", at most "
                + DemoHospitals.MAX
                + ")");
    subparser
        .addArgument("--studies")
        .type(Integer.class)
        .choices(Arguments.range(0, 100_000))
        .setDefault(60)
        .help("synthetic studies per hospital written on the first run (default 60)");
    subparser
        .addArgument("--ingest-seconds")
        .type(Integer.class)
        .choices(Arguments.range(0, 86_400))
        .setDefault(30)
        .help(
            "each hospital sends a new study of the day this often once its archive is written,"
                + " so the fleet grows as it would (default 30; 0: never)");
  }

  /**
   * What the person who ran the demo can fix (a port in use, dcmtk missing, a data directory that
   * cannot be written) is printed as one line; anything else keeps its stack trace.
   */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof DemoFleet.PortInUseException
        || e instanceof DemoDicom.ProgramMissingException) {
      cli.getStdErr().println("strata demo: " + e.getMessage());
    } else if (e instanceof FileSystemException f) {
      cli.getStdErr()
          .println(
              "strata demo: cannot use "
                  + f.getFile()
                  + (f.getReason() == null ? "" : ": " + f.getReason())
                  + " ("
                  + f.getClass().getSimpleName()
                  + "); choose another --data-dir");
    } else {
      super.onError(cli, namespace, e);
    }
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    Path dataDir = Path.of(namespace.getString("data_dir"));
    int port = namespace.getInt("port");
    int studies = namespace.getInt("studies");
    DemoFleet.Ports ports =
        new DemoFleet.Ports(
            port, DemoFleet.Ports.DEFAULT.zookeeper(), DemoFleet.Ports.DEFAULT.firstAgent());
    long start = System.nanoTime();
    DemoFleet fleet =
        DemoFleet.start(
            dataDir,
            ports,
            namespace.getInt("hospitals"),
            studies,
            Duration.ofSeconds(namespace.getInt("ingest_seconds")));
    double startedIn = (System.nanoTime() - start) / 1e9;
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
    System.out.printf(
        java.util.Locale.ROOT,
        "Strata demo is running (data in %s; started in %.1f s)%n",
        fleet.dataDir(),
        startedIn);
    System.out.println(
        "  hospitals:          "
            + fleet.hospitals().size()
            + " (h01..h%02d), each with datasets hNN-imaging (DICOM), hNN-inpatient-records,"
                .formatted(fleet.hospitals().size())
            + " hNN-outpatient-records");
    System.out.println("  console:            " + base + "/");
    System.out.println("  REST API:           " + base + "/api/v1/cluster-map");
    System.out.println("  controller metrics: " + base + "/metrics");
    String admin = "http://127.0.0.1:" + (fleet.controllerPort() + 1);
    System.out.println("  health checks:      " + admin + "/healthcheck (every pool)");
    System.out.println("  readiness:          " + admin + "/ready (ZooKeeper)");
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
