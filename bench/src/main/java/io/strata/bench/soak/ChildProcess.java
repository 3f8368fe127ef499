package io.strata.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One program of the soak run as a process of its own ({@code java -cp ... MAIN ARGS}), its output
 * appended to a log file. It can be killed ({@code SIGKILL}), paused ({@code SIGSTOP}), resumed
 * ({@code SIGCONT}) and started again with the same command line, and so the same ports and data.
 * Every signal goes to its own pid, never to a name or a group.
 *
 * <p>Thread-safe. Must be closed: closing resumes a paused process and kills it.
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path log;
  private Process process;
  private boolean paused;

  /**
   * @param name what the process is, for the fault log ({@code zk-2}, {@code agent-...})
   * @param jvmOptions heap and JIT settings, before the main class
   * @param main the main class
   * @param args its arguments
   */
  ChildProcess(String name, List<String> jvmOptions, String main, List<String> args, Path log) {
    this.name = name;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(args);
    this.command = List.copyOf(cmd);
    this.log = log;
  }

  String name() {
    return name;
  }

  /** Starts the process; a no-op while it runs. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    paused = false;
  }

  /** The pid of the running process; -1 when none runs. */
  synchronized long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: the process ends without running a line of its own. Waits for its end. */
  synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    paused = false;
  }

  /** {@code kill -STOP}: the process is frozen, its sockets open, until {@link #resume}. */
  synchronized void pause() throws IOException, InterruptedException {
    signal("-STOP");
    paused = true;
  }

  /** {@code kill -CONT}. */
  synchronized void resume() throws IOException, InterruptedException {
    if (paused) {
      signal("-CONT");
      paused = false;
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    long pid = pid();
    if (pid < 0) {
      throw new IllegalStateException(name + " does not run");
    }
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill " + signal + " " + pid + " (" + name + ") failed");
    }
  }

  /** Resumes the process if paused and kills it; safe to call more than once. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (paused) {
      try {
        signal("-CONT");
      } catch (IOException e) {
        // SIGKILL ends a stopped process too.
      }
    }
    kill();
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
