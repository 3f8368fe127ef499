package io.strata.bench.placement;

import io.strata.bench.Samples;
import io.strata.runtime.Programs;
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

  private Crushtool() {}

  static boolean onPath() {
    return Programs.onPath("crushtool").isPresent();
  }

  /** Compiles the text map {@code text} to {@code dir/name.bin}. */
  static Path compile(Path dir, String name, String text) throws IOException, InterruptedException {
    Path txt = dir.resolve(name + ".txt");
    Path bin = dir.resolve(name + ".bin");
    Files.writeString(txt, text);
    run(null, "crushtool", "-c", txt.toString(), "-o", bin.toString());
    return bin;
  }

  /** The devices rule 0 chooses for inputs {@code 0..n-1}, {@code copies} each; not timed. */
  static int[][] mappings(Path bin, int n, int copies) throws IOException, InterruptedException {
    int[][] mappings = new int[n][];
    run(mappings, test(bin, n, copies));
    return mappings;
  }

  /**
   * crushtool's mapping rate, timed as Strata's is: {@code warmup} runs left out, then {@code runs}
   * measured ones. A run is two processes that map with rule 0 and print nothing per input, their
   * output discarded: one maps {@code n} inputs, the other one input. The second's time (process
   * start, map load) is taken from the first's, so a run's rate counts the mapping alone, as
   * Strata's does; neither side's time includes printing or parsing mappings.
   */
  static Samples rates(Path bin, int n, int copies, int warmup, int runs)
      throws IOException, InterruptedException {
    double[] rates = new double[runs];
    for (int r = -warmup; r < runs; r++) {
      long t0 = System.nanoTime();
      quiet(timed(bin, 1, copies));
      long t1 = System.nanoTime();
      quiet(timed(bin, n, copies));
      long t2 = System.nanoTime();
      if (r >= 0) {
        rates[r] = rate(n, t1 - t0, t2 - t1);
      }
    }
    return Samples.of(rates);
  }

  /**
   * One run's rate: {@code n} inputs over the time of the run that mapped them ({@code nNanos})
   * less that of the one-input run ({@code oneNanos}), process start and map load; at least a
   * nanosecond.
   */
  static double rate(int n, long oneNanos, long nNanos) {
    return n / Math.max(1e-9, (nNanos - oneNanos) / 1e9);
  }

  /** The command that maps {@code n} inputs by rule 0 and prints no mapping. */
  static String[] timed(Path bin, int n, int copies) {
    return command(bin, n, copies, false);
  }

  private static void quiet(String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IOException(String.join(" ", command) + " failed with status " + exit);
    }
  }

  /** The command that maps {@code n} inputs to {@code copies} devices each by rule 0. */
  static String[] test(Path bin, int n, int copies) {
    return command(bin, n, copies, true);
  }

  private static String[] command(Path bin, int n, int copies, boolean showMappings) {
    java.util.List<String> c =
        new java.util.ArrayList<>(java.util.List.of("crushtool", "-i", bin.toString(), "--test"));
    if (showMappings) {
      c.add("--show-mappings");
    }
    c.addAll(
        java.util.List.of(
            "--rule",
            "0",
            "--num-rep",
            Integer.toString(copies),
            "--min-x",
            "0",
            "--max-x",
            Integer.toString(n - 1)));
    return c.toArray(String[]::new);
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
