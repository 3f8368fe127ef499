package io.strata.policy.cli;

import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ByteSize;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code strata policy} commands: {@code validate} and {@code explain}. The launcher passes the
 * arguments after {@code policy}. Reads only the files it is given; the time to explain is an
 * argument, never the clock.
 *
 * <p>Exit codes: 0 success, 1 invalid policies or topology, 2 usage errors.
 */
public final class PolicyCli {
  public static final int OK = 0;
  public static final int INVALID = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT =
      """
      usage: strata policy validate [--topology FILE] POLICY.yaml...
             strata policy explain --policy POLICY --key KEY --at TIME [--dataset NAME]
                 [--metadata FIELD=VALUE...] [--size SIZE] [--last-modified TIME] [--topology FILE]
             strata policy --help

      validate  checks policy files by themselves, against the law of their record class, against
                the cluster map, and against each other; prints every error as file:line:col.
      explain   says which phase an object is in at TIME, where its copies go, when it moves
                next, and whether it may be deleted and why not.

        --topology FILE       topology to check against (default: the demo topology)
        --policy POLICY       a policy file, or the name of a bundled policy (%s)
        --key KEY             the object key
        --dataset NAME        the dataset holding the object (checks the policy claims it)
        --metadata F=V...     object metadata, repeatable: --metadata modality=CT study-date=20190304
        --size SIZE           object size, e.g. 512MiB (default 0)
        --last-modified TIME  the object's LastModified (default: --at)
        --at TIME             the instant to evaluate at

      TIME is 2025-01-15T03:00:00Z, 2025-01-15T11:00:00+08:00, or 2025-01-15 / 2025-01-15T11:00
      in the policy's time zone.
      """
          .formatted(String.join(", ", PolicyLibrary.NAMES));

  private PolicyCli() {}

  /** Runs one command; returns the exit code. Never throws on bad arguments or files. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      return usage(err, "no command given");
    }
    if (List.of("--help", "-h", "help").contains(args[0])) {
      out.print(USAGE_TEXT);
      return OK;
    }
    try {
      Options options = Options.parse(args);
      return switch (args[0]) {
        case "validate" -> validate(options, out, err);
        case "explain" -> explain(options, out, err);
        default -> usage(err, "unknown command '" + args[0] + "'; commands: validate, explain");
      };
    } catch (UsageException e) {
      return usage(err, e.getMessage());
    }
  }

  private static int validate(Options o, PrintStream out, PrintStream err) {
    o.allowOnly("validate", "--topology");
    if (o.positional().isEmpty()) {
      throw new UsageException("validate: name at least one policy file");
    }
    ClusterMap map = topology(o, err);
    if (map == null) {
      return INVALID;
    }
    List<Path> files = o.positional().stream().map(Path::of).toList();
    PolicyLoadResult result = PolicyLoader.loadFiles(files, map);
    if (!result.isValid()) {
      result.errors().forEach(e -> err.println(e));
      err.println(result.errors().size() + " error(s) in " + files.size() + " file(s)");
      return INVALID;
    }
    out.println(
        files.size()
            + " policy file(s) valid against the topology at epoch "
            + map.epoch()
            + ": "
            + String.join(", ", result.policies().stream().map(StoragePolicy::name).toList()));
    return OK;
  }

  private static int explain(Options o, PrintStream out, PrintStream err) {
    o.allowOnly(
        "explain",
        "--policy",
        "--key",
        "--at",
        "--dataset",
        "--metadata",
        "--size",
        "--last-modified",
        "--topology");
    if (!o.positional().isEmpty()) {
      throw new UsageException("explain: unexpected argument '" + o.positional().get(0) + "'");
    }
    String policyArg = o.required("--policy");
    String key = o.required("--key");
    String atText = o.required("--at");
    PolicySource source = policySource(policyArg);
    ClusterMap map = topology(o, err);
    if (map == null) {
      return INVALID;
    }
    PolicyLoadResult loaded = PolicyLoader.load(List.of(source), map);
    if (!loaded.isValid()) {
      loaded.errors().forEach(e -> err.println(e));
      return INVALID;
    }
    StoragePolicy policy = loaded.policies().get(0);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String pair : o.all("--metadata")) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new UsageException("explain: --metadata '" + pair + "' is not FIELD=VALUE");
      }
      metadata.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    long size = 0;
    if (o.has("--size")) {
      try {
        size = ByteSize.parse(o.single("--size"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("explain: --size " + e.getMessage());
      }
    }
    Instant at = time("--at", atText, policy.timeZone());
    Instant lastModified =
        o.has("--last-modified")
            ? time("--last-modified", o.single("--last-modified"), policy.timeZone())
            : at;
    StoredObject object = new StoredObject(key, size, lastModified, metadata);
    var evaluation = PolicyEvaluator.evaluate(policy, object, at);
    String dataset = o.has("--dataset") ? o.single("--dataset") : null;
    out.print(
        ExplainText.format(
            evaluation, dataset, policy.selector().mismatches(key, object.metadata())));
    return OK;
  }

  private static PolicySource policySource(String arg) {
    Path path = Path.of(arg);
    if (Files.isRegularFile(path)) {
      try {
        return new PolicySource(arg, Files.readString(path));
      } catch (IOException | RuntimeException e) {
        throw new UsageException(
            "explain: cannot read --policy " + arg + ": " + e.getClass().getSimpleName());
      }
    }
    return PolicyLibrary.source(arg)
        .orElseThrow(
            () ->
                new UsageException(
                    "explain: --policy '"
                        + arg
                        + "' is neither a file nor a bundled policy ("
                        + String.join(", ", PolicyLibrary.NAMES)
                        + ")"));
  }

  /** The topology named by --topology, or the demo's; {@code null} after printing why not. */
  private static ClusterMap topology(Options o, PrintStream err) {
    if (!o.has("--topology")) {
      return DemoTopology.map();
    }
    String file = o.single("--topology");
    try {
      return TopologyFile.parse(file, Files.readString(Path.of(file)));
    } catch (TopologyException e) {
      e.problems().forEach(err::println);
      return null;
    } catch (IOException | RuntimeException e) {
      err.println(file + ": cannot read the topology: " + e.getClass().getSimpleName());
      return null;
    }
  }

  static Instant time(String option, String text, ZoneId zone) {
    try {
      if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(text).atStartOfDay(zone).toInstant();
      }
      if (text.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+")) {
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new UsageException(
          option
              + " '"
              + text
              + "' is not a time; write 2025-01-15T03:00:00Z, 2025-01-15T11:00+08:00 or 2025-01-15");
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("strata policy: " + problem);
    err.print(USAGE_TEXT);
    return USAGE;
  }

  /** A command line that cannot be run as given. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Options after the command: {@code --name value}, {@code --metadata} taking several values. */
  record Options(String command, Map<String, List<String>> values, List<String> positional) {
    static Options parse(String[] args) {
      Map<String, List<String>> values = new LinkedHashMap<>();
      List<String> positional = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (!a.startsWith("--")) {
          positional.add(a);
          continue;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(args[0] + ": " + a + " needs a value");
        }
        List<String> list = values.computeIfAbsent(a, k -> new ArrayList<>());
        list.add(args[++i]);
        while (a.equals("--metadata") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          list.add(args[++i]);
        }
      }
      return new Options(args[0], values, positional);
    }

    void allowOnly(String command, String... allowed) {
      for (String name : values.keySet()) {
        if (!List.of(allowed).contains(name)) {
          throw new UsageException(
              command + ": unknown option " + name + "; allowed: " + String.join(", ", allowed));
        }
      }
    }

    boolean has(String name) {
      return values.containsKey(name);
    }

    List<String> all(String name) {
      return values.getOrDefault(name, List.of());
    }

    String single(String name) {
      List<String> v = all(name);
      if (v.size() != 1) {
        throw new UsageException(
            command + ": " + name + " is given " + v.size() + " times; give it once");
      }
      return v.get(0);
    }

    String required(String name) {
      if (!has(name)) {
        throw new UsageException(command + ": " + name + " is required");
      }
      return single(name);
    }
  }
}
