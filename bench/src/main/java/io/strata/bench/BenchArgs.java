package io.strata.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value}. */
public final class BenchArgs {
  private BenchArgs() {}

  /**
   * The options by name (without the dashes); prints {@code usage} and exits with status 2 on
   * anything else.
   */
  public static Map<String, String> options(String[] args, String usage) {
    return options(args, usage, Set.of());
  }

  /**
   * As {@link #options(String[], String)}, where the options named in {@code switches} take no
   * value and read as {@code "true"} when given.
   */
  public static Map<String, String> options(String[] args, String usage, Set<String> switches) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name != null && switches.contains(name)) {
        out.put(name, "true");
        continue;
      }
      if (name == null || i + 1 >= args.length) {
        System.err.println("usage: " + usage);
        System.exit(2);
      }
      out.put(name, args[++i]);
    }
    return out;
  }
}
