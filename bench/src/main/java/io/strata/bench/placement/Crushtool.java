package io.strata.bench.placement;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the system's {@code crushtool} on a CRUSH text map and reads its mappings. */
final class Crushtool {
  private static final Pattern MAPPING = Pattern.compile("CRUSH rule 0 x (\\d+) \\[([0-9,]*)\\]");

  /**
   * Mappings of inputs {@code 0..n-1} and timings.
   *
   * @param mappings per input, the device ids crushtool chose
   * @param loadSeconds wall time of a run that maps one input: loading the map
   * @param runSeconds wall time of the run that maps all inputs, load included
   */
  record Run(int[][] mappings, double loadSeconds, double runSeconds) {
    /** Mappings per second with the map load taken out. */
    double rate() {
      return mappings.length / Math.max(1e-9, runSeconds - loadSeconds);
    }
  }

  private Crushtool() {}

  static boolean onPath() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, "crushtool"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Compiles {@code text} and maps inputs {@code 0..n-1} with rule 0 and {@code copies}. */
  static Run map(Path dir, String name, String text, int n, int copies)
      throws IOException, InterruptedException {
    Path txt = dir.resolve(name + ".txt");
    Path bin = dir.resolve(name + ".bin");
    Files.writeString(txt, text);
    run(null, "crushtool", "-c", txt.toString(), "-o", bin.toString());
    long t0 = System.nanoTime();
    run(null, test(bin, 1, copies));
    long t1 = System.nanoTime();
    int[][] mappings = new int[n][];
    run(mappings, test(bin, n, copies));
    long t2 = System.nanoTime();
    return new Run(mappings, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /** The command that maps {@code n} inputs to {@code copies} devices each by rule 0. */
  static String[] test(Path bin, int n, int copies) {
    return new String[] {
      "crushtool",
      "-i",
      bin.toString(),
      "--test",
      "--show-mappings",
      "--rule",
      "0",
      "--num-rep",
      Integer.toString(copies),
      "--min-x",
      "0",
      "--max-x",
      Integer.toString(n - 1)
    };
  }

  private static void run(int[][] mappings, String... command)
      throws IOException, InterruptedException {
    // stderr goes to a file: merged into stdout, crushtool's output comes back truncated
    File errors = File.createTempFile("crushtool", ".err");
    errors.deleteOnExit();
    Process p = new ProcessBuilder(command).redirectError(errors).start();
    StringBuilder other = new StringBuilder();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Matcher m = MAPPING.matcher(line);
        if (m.matches() && mappings != null) {
          int x = Integer.parseInt(m.group(1));
          String[] ids = m.group(2).isEmpty() ? new String[0] : m.group(2).split(",");
          int[] devices = new int[ids.length];
          for (int i = 0; i < ids.length; i++) {
            devices[i] = Integer.parseInt(ids[i]);
          }
          mappings[x] = devices;
        } else if (!m.matches() && other.length() < 2000) {
          other.append(line).append('\n');
        }
      }
    }
    int exit = p.waitFor();
    other.append(Files.readString(errors.toPath(), StandardCharsets.UTF_8));
    Files.deleteIfExists(errors.toPath());
    if (exit != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + other);
    }
    for (int x = 0; mappings != null && x < mappings.length; x++) {
      if (mappings[x] == null) {
        throw new IOException(
            String.join(" ", command) + " gave no mapping of x " + x + ":\n" + other);
      }
    }
  }
}
