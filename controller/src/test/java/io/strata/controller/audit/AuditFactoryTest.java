package io.strata.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.ConfiguredInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFactoryTest {
  @Test
  void aSpoolDirectoryIsCreatedBeforeAnythingStarts(@TempDir Path dir) {
    Path spool = dir.resolve("a/b/spool");

    assertThat(AuditFactory.spoolDirectory(spool.toString())).isEqualTo(spool);
    assertThat(Files.isDirectory(spool)).isTrue();
  }

  @Test
  void aSpoolDirectoryThatCannotBeCreatedIsNamedWithItsSetting(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "");

    assertThatThrownBy(() -> AuditFactory.spoolDirectory(file.resolve("spool").toString()))
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessage(
            "audit.spoolDir: cannot create " + file.resolve("spool") + " (FileSystemException)");
  }

  @Test
  void checkSaysWhetherTheSpoolCanBeUsedAndCreatesNothing(@TempDir Path dir) throws Exception {
    AuditFactory audit = new AuditFactory();
    Path spool = dir.resolve("a/b/spool");
    audit.setSpoolDir(spool.toString());
    audit.checkSpoolDirectory();
    assertThat(dir.resolve("a")).doesNotExist();

    Path file = Files.writeString(dir.resolve("a-file"), "");
    audit.setSpoolDir(file.resolve("spool").toString());
    assertThatThrownBy(audit::checkSpoolDirectory)
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessage(
            "audit.spoolDir: cannot create "
                + file.resolve("spool")
                + " ("
                + file
                + " is not a directory)");
  }
}
