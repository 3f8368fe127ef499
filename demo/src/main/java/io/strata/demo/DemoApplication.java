package io.strata.demo;

import io.dropwizard.core.setup.Bootstrap;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.StrataApplication;

/**
 * The controller's command line with {@code demo} added: {@code ./strata demo} runs the whole
 * system embedded. A program of its own so that the production controller carries neither the
 * embedded ZooKeeper nor the S3Proxy pools.
 */
public final class DemoApplication extends StrataApplication {

  @Override
  public void initialize(Bootstrap<ControllerConfiguration> bootstrap) {
    super.initialize(bootstrap);
    bootstrap.addCommand(new DemoCommand());
  }

  public static void main(String[] args) throws Exception {
    // The reports' charts draw through AWT: never reach for a display, even where DISPLAY is set.
    System.setProperty("java.awt.headless", "true");
    new DemoApplication().run(args);
  }
}
