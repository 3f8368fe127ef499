package io.strata.demo;

import io.strata.controller.security.Hashes;
import io.strata.controller.security.Identities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.TreeSet;

/**
 * The demo's generated credentials under {@code <data-dir>/security/}: an admin password (kept in
 * {@code admin.password}, mode 600, and shown once, on the run that made it), one bearer token per
 * agent ({@code agents/<id>.token}, mode 600), the controllers' ZooKeeper digest, and the
 * controller's {@code users.yml} and {@code tokens.yml}, which hold hashes only.
 *
 * @param dir the security folder
 * @param adminUser the admin's user name
 * @param newAdminPassword the admin's password when this run generated it; null on later runs
 */
public record DemoCredentials(Path dir, String adminUser, String newAdminPassword) {
  /** The agents' key for hashing PatientIDs, in this folder. */
  static final String PATIENT_ID_KEY = "patient-id.key";

  /**
   * Generates what is missing: on a first run everything; later, only tokens of new agents.
   * Idempotent; what an operator added to {@code users.yml} or {@code tokens.yml} stays.
   *
   * @throws IllegalArgumentException when {@code tokens.yml} cannot be read, or the entries of new
   *     agents cannot be appended to it; the file is left as it was
   */
  public static DemoCredentials ensure(Path dir, List<String> agentIds) throws IOException {
    Files.createDirectories(dir.resolve("agents"));
    String password = null;
    if (!Files.exists(dir.resolve("users.yml"))) {
      password = Hashes.randomToken().substring(0, 20);
      writePrivate(dir.resolve("admin.password"), password + "\n");
      writePrivate(
          dir.resolve("users.yml"),
          "# Users of the demo controller: bcrypt hashes only. The admin's password is in"
              + " admin.password.\nusers:\n  - {name: admin, passwordHash: \""
              + Hashes.bcrypt(password)
              + "\", roles: [admin, operator, planner]}\n");
      writePrivate(dir.resolve("zookeeper.digest"), "strata:" + Hashes.randomToken() + "\n");
    }
    if (!Files.exists(dir.resolve(PATIENT_ID_KEY))) {
      // The fleet's key for hashing PatientIDs read from DICOM headers: one for every agent.
      writePrivate(dir.resolve(PATIENT_ID_KEY), Hashes.randomToken() + "\n");
    }
    for (String id : agentIds) {
      Path token = dir.resolve("agents").resolve(id + ".token");
      if (!Files.exists(token)) {
        writePrivate(token, Hashes.randomToken() + "\n");
      }
    }
    writeTokens(dir, agentIds);
    return new DemoCredentials(dir, "admin", password);
  }

  /**
   * Writes {@code tokens.yml} on the first run; later runs keep it as it is, with the entries an
   * operator added (`./strata security new-token`), and append the tokens of agents it lacks.
   */
  private static void writeTokens(Path dir, List<String> agentIds) throws IOException {
    Path file = dir.resolve("tokens.yml");
    boolean first = !Files.exists(file);
    Identities listed = first ? null : Identities.load(dir.resolve("users.yml"), file);
    StringBuilder missing = new StringBuilder();
    for (String id : new TreeSet<>(agentIds)) {
      String token = Files.readString(dir.resolve("agents").resolve(id + ".token")).trim();
      if (first || listed.token(token).isEmpty()) {
        missing.append(
            "  - {name: agent-%s, sha256: %s, roles: [agent], agentId: %s}\n"
                .formatted(id, Hashes.sha256(token), id));
      }
    }
    if (first) {
      writePrivate(
          file, "# Bearer tokens of the demo's agents: SHA-256 only.\ntokens:\n" + missing);
      return;
    }
    if (missing.isEmpty()) {
      return;
    }
    String kept = Files.readString(file);
    Files.writeString(file, kept + (kept.endsWith("\n") ? "" : "\n") + missing);
    try {
      Identities.load(dir.resolve("users.yml"), file);
    } catch (IllegalArgumentException e) {
      Files.writeString(file, kept);
      throw new IllegalArgumentException(
          file
              + " does not end with its list of tokens, so the new agents' entries cannot be"
              + " appended; add them to its tokens yourself:\n"
              + missing,
          e);
    }
  }

  public Path usersFile() {
    return dir.resolve("users.yml");
  }

  public Path tokensFile() {
    return dir.resolve("tokens.yml");
  }

  public Path adminPasswordFile() {
    return dir.resolve("admin.password");
  }

  public Path zookeeperDigest() {
    return dir.resolve("zookeeper.digest");
  }

  public Path agentToken(String agentId) {
    return dir.resolve("agents").resolve(agentId + ".token");
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.writeString(file, "");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps the default permissions.
    }
    Files.writeString(file, text);
  }
}
