package io.strata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test that needs a Debian program and lacks it fails, saying which and how to install it. */
class RequiredToolTest {
  private static final RequiredTool NONE =
      new RequiredTool("strata-no-such-tool-31", "strata-no-such-package");

  @Test
  void aMissingToolFailsNamingItsPackageAndTheCommandsThatInstallIt() {
    assertThatThrownBy(NONE::path)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "strata-no-such-tool-31 is not on PATH, and this test runs it. It is in the Debian"
                + " package strata-no-such-package: run the tests with ./strata test, which"
                + " installs it when run as root, or install it with: sudo apt-get install"
                + " strata-no-such-package");
  }

  @Test
  void findsAnExecutableInTheDirectoriesOfPath(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = Files.writeString(bin.resolve(NONE.command()), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    String path = String.join(File.pathSeparator, empty.toString(), "", bin.toString());

    assertThat(NONE.find(path)).contains(tool);
  }

  @Test
  void aFileThatCannotBeRunOrADirectoryIsNotTheTool(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Files.writeString(bin.resolve(NONE.command()), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        bin.resolve(NONE.command()), PosixFilePermissions.fromString("rw-r--r--"));
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.createDirectory(other.resolve(NONE.command()));

    assertThat(NONE.find(bin + File.pathSeparator + other)).isEmpty();
    assertThat(NONE.find(null)).isEmpty();
    assertThat(NONE.find("")).isEmpty();
  }

  /**
   * The message says {@code ./strata test} installs the package: the launcher's list must name it.
   */
  @Test
  void theLauncherInstallsThePackageOfEveryRequiredTool() throws Exception {
    // Maven runs the module's tests from runtime/.
    String launcher = Files.readString(Path.of("..", "strata"));
    Matcher list = Pattern.compile("(?s)TEST_PACKAGES=\\((.*?)\\n\\)").matcher(launcher);
    assertThat(list.find()).as("TEST_PACKAGES in the launcher").isTrue();
    Set<String> packages = new LinkedHashSet<>();
    Matcher entry = Pattern.compile("\"([^\":]+):([^\"]+)\"").matcher(list.group(1));
    while (entry.find()) {
      packages.add(entry.group(2));
    }

    assertThat(packages)
        .containsAll(
            List.of(
                    RequiredTool.CRUSHTOOL,
                    RequiredTool.PROMTOOL,
                    RequiredTool.PROMETHEUS,
                    RequiredTool.RCLONE,
                    RequiredTool.CHROMIUM,
                    RequiredTool.CHROMEDRIVER)
                .stream()
                .map(RequiredTool::debianPackage)
                .toList());
  }
}
