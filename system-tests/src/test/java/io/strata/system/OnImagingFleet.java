package io.strata.system;

import io.strata.controller.ControllerConfiguration;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup the reconciler's ITs share: a fresh {@link ImagingFleet} for each test, closed after.
 */
abstract class OnImagingFleet {
  @TempDir Path dir;
  ImagingFleet fleet;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new ImagingFleet(dir);
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  /**
   * Starts a controller and the agents, has the hospitals write {@code objects} studies, and waits
   * until each is on the pools of its phase ({@code placed} says so if it is not).
   *
   * @return the controller
   */
  EmbeddedApp<ControllerConfiguration> placed(int objects, String placed) throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = fleet.startController("replica-1");
    fleet.startAgents(ImagingFleet.url(controller));
    fleet.hospitalWrites(objects);
    fleet.awaitPlacement(placed, ImagingFleet.allPools());
    return controller;
  }
}
