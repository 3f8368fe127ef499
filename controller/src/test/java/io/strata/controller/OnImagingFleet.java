package io.strata.controller;

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
}
