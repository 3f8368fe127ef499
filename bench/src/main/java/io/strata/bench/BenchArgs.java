package io.strata.bench;

import java.util.HashMap;
import java.util.Map;

/** Command-line options of the form {@code --name value}. */
public final class BenchArgs {
  private BenchArgs() {}

  /**
   * The options by name (without the dashes); prints {@code usage} and exits with status 2 on
   * anything else.
   */
  public static Map<String, String> options(String[] args, String usage) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: " + usage);
        System.exit(2);
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }
}
