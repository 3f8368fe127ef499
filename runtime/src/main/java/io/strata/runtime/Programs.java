package io.strata.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Programs of the machine, found as a shell finds them: for the tests ({@code RequiredTool}), the
 * benchmarks' peers, and the demo's DICOM files ({@link DicomFiles}, dcmtk's dump2dcm). The
 * controller and the agents run no program from {@code PATH}.
 */
public final class Programs {
  private Programs() {}

  /** {@code command} on this process's {@code PATH}, or empty when it is not installed. */
  public static Optional<Path> onPath(String command) {
    return find(command, System.getenv("PATH"));
  }

  /**
   * The first executable file named {@code command} in the directories of {@code path}, a {@code
   * PATH} value (null for none); a directory name this system cannot have is passed over.
   */
  public static Optional<Path> find(String command, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(dir, command);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        // not a directory name this system can have; the next one may do
      }
    }
    return Optional.empty();
  }
}
