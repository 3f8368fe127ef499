package io.strata.bench.mover;

import io.strata.runtime.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code rclone copy}, and {@code rclone check --download} (the proof a user of rclone adds:
 * it reads every object back from both sides and compares the bytes), between two bench pools with
 * a generated config file.
 */
final class Rclone {

  private final Path binary;
  private final Path config;

  private Rclone(Path binary, Path config) {
    this.binary = binary;
    this.config = config;
  }

  /** rclone from the PATH, or empty when it is not installed. */
  static Optional<Path> find() {
    return Programs.onPath("rclone");
  }

  /** Writes a config (mode 600) with one S3 remote per pool, named after the pool. */
  static Rclone configure(Path binary, Path dir, List<BenchPool> pools) throws Exception {
    StringBuilder text = new StringBuilder();
    for (BenchPool pool : pools) {
      text.append('[')
          .append(pool.id)
          .append("]\n")
          .append("type = s3\nprovider = Other\n")
          .append("endpoint = ")
          .append(pool.endpoint)
          .append('\n')
          .append("access_key_id = ")
          .append(pool.accessKey)
          .append('\n')
          .append("secret_access_key = ")
          .append(pool.secretKey)
          .append('\n')
          .append("region = us-east-1\nforce_path_style = true\n\n");
    }
    Path config = dir.resolve("rclone.conf");
    Files.createFile(
        config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(config, text);
    return new Rclone(binary, config);
  }

  /** Copies {@code from} to {@code to} (remote:path) and returns the wall time in nanoseconds. */
  long copy(String from, String to, int transfers, Path log) throws Exception {
    return run(log, "copy", from, to, "--transfers", Integer.toString(transfers));
  }

  /**
   * Checks {@code to} against {@code from} by downloading both ({@code check --download}, with
   * {@code checkers} at once) and returns the wall time in nanoseconds; fails when they differ.
   */
  long checkDownload(String from, String to, int checkers, Path log) throws Exception {
    return run(log, "check", from, to, "--download", "--checkers", Integer.toString(checkers));
  }

  private long run(Path log, String command, String from, String to, String... flags)
      throws Exception {
    List<String> args = new java.util.ArrayList<>();
    args.addAll(List.of(binary.toString(), "--config", config.toString(), command, from, to));
    args.addAll(List.of(flags));
    ProcessBuilder builder =
        new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
    // The pools are plain HTTP on loopback; a CA bundle from the environment only makes the AWS
    // SDK inside rclone refuse its HTTP transport.
    builder.environment().remove("AWS_CA_BUNDLE");
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    long elapsed = System.nanoTime() - start;
    if (exit != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(
          "rclone "
              + command
              + " "
              + from
              + " "
              + to
              + " exited with "
              + exit
              + "; last lines:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
    }
    return elapsed;
  }
}
