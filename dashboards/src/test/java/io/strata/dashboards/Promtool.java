package io.strata.dashboards;

import io.strata.runtime.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool} (Debian package prometheus) as a child process with a bounded wait. */
final class Promtool {
  /** Every wait of these tests derives from this one setting. */
  static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("strata.test.timeout.seconds", 60));

  /** What a run printed, and how it ended. */
  record Result(int exitCode, String output) {}

  private Promtool() {}

  /**
   * Runs {@code promtool args...} in {@code workDir}, feeding {@code stdin} when not null.
   *
   * @throws IllegalStateException when it does not finish within {@link #TIMEOUT}
   * @throws AssertionError when promtool is not installed, saying how to install it
   */
  static Result run(Path workDir, Path stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(RequiredTool.PROMTOOL.path().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("promtool", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      if (stdin != null) {
        builder.redirectInput(stdin.toFile());
      }
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      return new Result(process.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
