package io.strata.bench;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark's command-line options, as its usage line declares them: {@code [--name VALUE]} takes
 * a value, {@code [--name]} is a switch. An option the usage does not name, a missing value or one
 * that does not parse is refused with a {@link BadArgs} naming the option, before the benchmark
 * starts anything. Immutable.
 */
public final class BenchArgs {

  /** A bracketed option of a usage line, with the placeholder of its value if it takes one. */
  private static final Pattern OPTION = Pattern.compile("\\[--([a-z0-9-]+)( [^\\]]+)?\\]");

  private final String usage;
  private final Map<String, String> values;

  private BenchArgs(String usage, Map<String, String> values) {
    this.usage = usage;
    this.values = values;
  }

  /**
   * Reads {@code args} against {@code usage}.
   *
   * @throws BadArgs for an option the usage does not name, or one without its value
   */
  public static BenchArgs parse(String[] args, String usage) {
    Set<String> valued = new LinkedHashSet<>();
    Set<String> switches = new LinkedHashSet<>();
    Matcher option = OPTION.matcher(usage);
    while (option.find()) {
      (option.group(2) == null ? switches : valued).add(option.group(1));
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name != null && switches.contains(name)) {
        values.put(name, "true");
      } else if (name != null && valued.contains(name)) {
        if (i + 1 >= args.length) {
          throw new BadArgs("--" + name + " needs a value", usage);
        }
        values.put(name, args[++i]);
      } else {
        throw new BadArgs("unknown option " + args[i], usage);
      }
    }
    return new BenchArgs(usage, values);
  }

  /** Whether the option (a switch, or one with a value) was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, or {@code fallback} when it was not given. */
  public String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /**
   * The option's value as a whole number of at least {@code min}, or {@code fallback} when it was
   * not given.
   *
   * @throws BadArgs when the value is not a whole number or is below {@code min}
   */
  public int integer(String name, int fallback, int min) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw bad("--" + name + " takes a whole number, got '" + value + "'");
    }
    if (parsed < min) {
      throw bad("--" + name + " must be at least " + min + ", got " + parsed);
    }
    return parsed;
  }

  /**
   * The option's value as a decimal number, or {@code fallback} when it was not given.
   *
   * @throws BadArgs when the value is not a finite number
   */
  public double decimal(String name, double fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (Double.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // refused below, as a value that is not finite is
    }
    throw bad("--" + name + " takes a number, got '" + value + "'");
  }

  /** A refusal of these arguments for a reason the benchmark checks itself. */
  public BadArgs bad(String message) {
    return new BadArgs(message, usage);
  }

  /** Arguments a benchmark refuses; {@link BenchMain} prints the message and the usage. */
  public static final class BadArgs extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String usage;

    public BadArgs(String message, String usage) {
      super(message);
      this.usage = usage;
    }

    public String usage() {
      return usage;
    }
  }
}
