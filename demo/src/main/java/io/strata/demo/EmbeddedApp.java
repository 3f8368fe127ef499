package io.strata.demo;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;

/**
 * A Dropwizard application started in this JVM from a configuration file, the way {@code server
 * FILE} starts it, but with a handle to stop it: the demo runs a controller and several agents in
 * one process, and integration tests run several controllers.
 *
 * <p>Must be closed.
 */
public final class EmbeddedApp<C extends Configuration> implements AutoCloseable {
  private final Server server;
  private final C configuration;
  private final Environment environment;

  private EmbeddedApp(Server server, C configuration, Environment environment) {
    this.server = server;
    this.configuration = configuration;
    this.environment = environment;
  }

  /** Starts {@code app} with the configuration in {@code configFile}; returns once it serves. */
  public static <C extends Configuration> EmbeddedApp<C> start(Application<C> app, Path configFile)
      throws Exception {
    AtomicReference<Server> server = new AtomicReference<>();
    AtomicReference<C> config = new AtomicReference<>();
    AtomicReference<Environment> env = new AtomicReference<>();
    Bootstrap<C> bootstrap =
        new Bootstrap<>(app) {
          @Override
          public void run(C configuration, Environment environment) throws Exception {
            config.set(configuration);
            env.set(environment);
            environment.lifecycle().addServerLifecycleListener(server::set);
            super.run(configuration, environment);
          }
        };
    app.initialize(bootstrap);
    ServerCommand<C> command = new ServerCommand<>(app);
    command.run(bootstrap, new Namespace(Map.of("file", configFile.toString())));
    if (server.get() == null) {
      throw new IllegalStateException(app.getName() + " did not start a server");
    }
    // Dropwizard has Jetty stop every server from a shutdown hook of its own, all at once; the
    // one that started them stops them instead, in order (the demo: agents first, so that their
    // last heartbeats still reach the controller).
    server.get().setStopAtShutdown(false);
    return new EmbeddedApp<>(server.get(), config.get(), env.get());
  }

  /** The port of its application connector. */
  public int port() {
    return io.strata.runtime.Connectors.applicationPort(server);
  }

  public C configuration() {
    return configuration;
  }

  public Environment environment() {
    return environment;
  }

  /** True while the server runs. */
  public boolean isRunning() {
    return server.isRunning();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
