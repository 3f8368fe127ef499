package io.strata.bench.soak;

import io.strata.bench.BenchArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code strata soak [--minutes N] [--seed S]}: the chaos soak. Prints what it does, the faults
 * with their times, and as its last line {@code soak: objects=... faults=... lost=0 early_deletes=0
 * fenced_writes=... converge_s=...}; exits 1 when anything was lost, deleted early, written by a
 * deposed leader, left misplaced past the bound, or when an audit chain is broken, and 2 on bad
 * arguments.
 */
public final class SoakMain {
  static final String USAGE =
      "strata soak [--minutes N] [--seed S] [--objects N] [--faults N] [--dir DIR]";

  private SoakMain() {}

  /** The options of a command line; the defaults scale with {@code --minutes}. */
  static Soak.Options options(String[] args) throws java.io.IOException {
    BenchArgs parsed = BenchArgs.parse(args, USAGE);
    int minutes = parsed.integer("minutes", 10, 1);
    if (minutes > 120) {
      throw new BenchArgs.BadArgs("--minutes must be at most 120", USAGE);
    }
    long seed;
    try {
      seed = Long.parseLong(parsed.text("seed", Long.toString(System.nanoTime() % 100_000)));
    } catch (NumberFormatException e) {
      throw new BenchArgs.BadArgs("--seed must be a whole number", USAGE);
    }
    int objects = parsed.integer("objects", Math.max(10_000, minutes * 1_000), 10);
    int faults = parsed.integer("faults", Math.max(10, minutes * 3), 0);
    if (faults > 0 && faults < Faults.Kind.values().length) {
      throw new BenchArgs.BadArgs(
          "--faults must be 0 (none) or at least "
              + Faults.Kind.values().length
              + ", one of each kind",
          USAGE);
    }
    Path dir =
        parsed.has("dir")
            ? Path.of(parsed.text("dir", "."))
            : Files.createTempDirectory("strata-soak-");
    return new Soak.Options(Duration.ofMinutes(minutes), objects, seed, faults, dir);
  }

  public static void main(String[] args) throws Exception {
    Soak.Options options;
    try {
      options = options(args);
    } catch (BenchArgs.BadArgs e) {
      System.err.println("strata soak: " + e.getMessage());
      System.err.println("usage: " + USAGE);
      System.exit(2);
      return;
    }
    Soak.Verdict verdict = new Soak(options, System.out).run();
    System.out.printf(
        "soak: %s; converge bound %d s; %d copies deleted, all checked; %d leader terms%n",
        verdict.passed() ? "PASSED" : "FAILED",
        verdict.convergeBound().toSeconds(),
        verdict.deletions(),
        verdict.leaderTerms());
    System.out.println(verdict.line());
    System.exit(verdict.passed() ? 0 : 1);
  }
}
