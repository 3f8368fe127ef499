package io.strata.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.s3.SystemDataset;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code strata audit verify}: checks every chain of the audit trail and names the first broken
 * link.
 *
 * <pre>
 * strata audit verify --dir DIR
 * strata audit verify --endpoint URL --credentials FILE [--endpoint URL --credentials FILE ...]
 *                     [--bucket strata-system]
 * </pre>
 *
 * {@code --dir} reads every {@code *.json} record below DIR (a replica's spool, or a copy of the
 * bucket); {@code --endpoint} reads {@code audit/} of the system dataset on a pool, with the pool's
 * credentials file ({@code accessKey=}, {@code secretKey=}). A replica writes each record to the
 * first of its candidate pools that takes it, so a chain can be spread over several: give each, an
 * endpoint with its credentials (or one credentials file for all), and their records are read as
 * one trail. Exit status: 0 when every chain holds, 1 when a link is broken (or nothing was found),
 * 2 on a usage or read error.
 */
public final class AuditCli {
  private static final String USAGE =
      "usage: strata audit verify (--dir DIR | --endpoint URL --credentials FILE"
          + " [--endpoint URL --credentials FILE ...] [--bucket NAME])";

  private AuditCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("verify")) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> options = new TreeMap<>();
    List<String> endpoints = new ArrayList<>();
    List<String> credentials = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("strata audit: unexpected '" + args[i] + "'\n" + USAGE);
        return 2;
      }
      String name = args[i].substring(2);
      String value = args[++i];
      switch (name) {
        case "endpoint" -> endpoints.add(value);
        case "credentials" -> credentials.add(value);
        default -> options.put(name, value);
      }
    }
    ObjectMapper json = Jackson.newObjectMapper();
    Map<String, AuditRecord> records;
    String source;
    try {
      if (options.containsKey("dir")) {
        source = options.get("dir");
        records = readDir(Path.of(source), json);
      } else if (!endpoints.isEmpty()
          && (credentials.size() == endpoints.size() || credentials.size() == 1)) {
        source = String.join(", ", endpoints);
        try (S3Clients clients = new S3Clients()) {
          List<SystemDataset.Target> targets = new ArrayList<>();
          for (int i = 0; i < endpoints.size(); i++) {
            Path file = Path.of(credentials.get(credentials.size() == 1 ? 0 : i));
            PoolCredentials keys =
                PoolCredentials.resolve(
                    "file:" + file.getFileName(), file.toAbsolutePath().getParent(), Map.of());
            targets.add(
                new SystemDataset.Target(endpoints.get(i), clients.client(endpoints.get(i), keys)));
          }
          records =
              new AuditStore(() -> targets, options.getOrDefault("bucket", "strata-system"), json)
                  .listAll();
        }
      } else {
        err.println(
            (endpoints.isEmpty()
                    ? ""
                    : "strata audit: "
                        + endpoints.size()
                        + " --endpoint but "
                        + credentials.size()
                        + " --credentials: give one for each, or one for all\n")
                + USAGE);
        return 2;
      }
    } catch (IOException | IllegalArgumentException | UncheckedBadRecord e) {
      err.println("strata audit: " + e.getMessage());
      return e instanceof UncheckedBadRecord ? 1 : 2;
    }
    if (records.isEmpty()) {
      out.println("BROKEN: found no audit records in " + source);
      return 1;
    }
    Optional<AuditChain.Break> broken = AuditChain.verify(records);
    if (broken.isPresent()) {
      out.println("BROKEN: " + broken.get());
      return 1;
    }
    Map<String, Long> chains = new TreeMap<>();
    records.values().forEach(r -> chains.merge(r.replica(), r.seq(), Math::max));
    out.println(
        "OK: "
            + records.size()
            + " records in "
            + chains.size()
            + " chain(s) "
            + chains
            + " verified; no broken link");
    return 0;
  }

  /** A record file that is not a record at all: tampered beyond parsing. */
  private static final class UncheckedBadRecord extends RuntimeException {
    UncheckedBadRecord(String message) {
      super(message);
    }
  }

  private static Map<String, AuditRecord> readDir(Path dir, ObjectMapper json) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    Map<String, AuditRecord> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        String key = dir.relativize(file).toString();
        if (!name.endsWith(".json") || name.equals("head.json") || key.startsWith("audit-heads")) {
          continue;
        }
        try {
          out.put(key, json.readValue(file.toFile(), AuditRecord.class));
        } catch (IOException e) {
          throw new UncheckedBadRecord("BROKEN: " + key + " is not an audit record");
        }
      }
    }
    return out;
  }
}
