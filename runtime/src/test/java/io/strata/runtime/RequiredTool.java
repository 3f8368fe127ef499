package io.strata.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A program from a Debian package that a test runs. {@code ./strata test} installs every one of
 * them ({@code TEST_PACKAGES} in the launcher) before it runs the tests; a test that needs one and
 * does not find it fails, naming the program and the package, rather than being skipped: a skip
 * would let a run report green without the check.
 *
 * @param command the program, as found on {@code PATH}
 * @param debianPackage the Debian package that ships it
 */
public record RequiredTool(String command, String debianPackage) {
  /** CRUSH map interoperability tests. */
  public static final RequiredTool CRUSHTOOL = new RequiredTool("crushtool", "ceph-base");

  /** Alert-rule tests, and the check of the metrics the programs export. */
  public static final RequiredTool PROMTOOL = new RequiredTool("promtool", "prometheus");

  /** The real Prometheus that scrapes the demo fleet. */
  public static final RequiredTool PROMETHEUS = new RequiredTool("prometheus", "prometheus");

  /** The mover benchmark's peer. */
  public static final RequiredTool RCLONE = new RequiredTool("rclone", "rclone");

  /** Real DICOM files, written from text dumps, for the header-classification tests. */
  public static final RequiredTool DUMP2DCM = new RequiredTool("dump2dcm", "dcmtk");

  /** The console tests' headless browser. */
  public static final RequiredTool CHROMIUM = new RequiredTool("chromium", "chromium");

  /** WebDriver for chromium. */
  public static final RequiredTool CHROMEDRIVER =
      new RequiredTool("chromedriver", "chromium-driver");

  /**
   * The program's path on {@code PATH}.
   *
   * @throws AssertionError saying what is missing and how to install it, when it is not there
   */
  public Path path() {
    return find(System.getenv("PATH")).orElseThrow(() -> new AssertionError(missing()));
  }

  /** The first executable {@link #command} in the directories of {@code path}, a PATH value. */
  Optional<Path> find(String path) {
    return Programs.find(command, path);
  }

  /** Why a test that needs the program cannot run, and what installs it. */
  String missing() {
    return command
        + " is not on PATH, and this test runs it. It is in the Debian package "
        + debianPackage
        + ": run the tests with ./strata test, which installs it when run as root, or install it"
        + " with: sudo apt-get install "
        + debianPackage;
  }
}
