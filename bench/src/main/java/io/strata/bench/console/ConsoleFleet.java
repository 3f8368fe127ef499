package io.strata.bench.console;

import io.strata.controller.security.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The console benchmark's fleet, generated: one site of {@code rooms} rooms, racks in rows of
 * {@code racksPerRow}, each rack one pool (1 TiB, on the stub S3 endpoint) and as many nodes as it
 * has agents (the agents spread evenly, one per node), and the files the production controller
 * reads: topology, users (one viewer), tokens (a viewer's and one per agent) and {@code
 * controller.yml} with no dataset, so that nothing moves and the console is measured idle.
 */
final class ConsoleFleet {
  private static final long TIB = 1L << 40;

  private final int racks;
  private final int agents;
  private final int rooms;
  private final int racksPerRow;
  private final Map<String, String> tokens = new HashMap<>();

  ConsoleFleet(int racks, int agents, int rooms, int racksPerRow) {
    this.racks = racks;
    this.agents = agents;
    this.rooms = rooms;
    this.racksPerRow = racksPerRow;
  }

  int agents() {
    return agents;
  }

  int nodes() {
    return agents;
  }

  /** The rack agent {@code a} (and its node) is in: agents are dealt out evenly, in order. */
  int rackOfAgent(int a) {
    return (int) ((long) a * racks / agents);
  }

  boolean firstAgentOfRack(int a) {
    return a == 0 || rackOfAgent(a - 1) != rackOfAgent(a);
  }

  String agent(int a) {
    return String.format(Locale.ROOT, "agent-%05d", a);
  }

  String node(int a) {
    return String.format(Locale.ROOT, "node-%05d", a);
  }

  String rack(int r) {
    return String.format(Locale.ROOT, "rack-%05d", r);
  }

  String pool(int r) {
    return String.format(Locale.ROOT, "pool-%05d", r);
  }

  /** A fill that varies over the fleet (0 to 95%), so the heatmap has colours to draw. */
  long usedBytes(int r) {
    return TIB * ((r * 37L) % 96) / 100;
  }

  String token(String name) {
    return tokens.get(name);
  }

  /** Writes every file the controller reads into {@code dir}; returns {@code controller.yml}. */
  Path write(Path dir, String zookeeper, String endpoint, String viewerPassword)
      throws IOException {
    Files.writeString(
        dir.resolve("pool.credentials"), "accessKey=BENCHKEY\nsecretKey=bench-secret-key-0123\n");
    Files.writeString(dir.resolve("topology.yaml"), topology(endpoint));
    Files.writeString(
        dir.resolve("users.yml"),
        "users:\n  - {name: viewer, passwordHash: \""
            + Hashes.bcrypt(viewerPassword)
            + "\", roles: [viewer]}\n");
    StringBuilder lines = new StringBuilder("tokens:\n");
    token(lines, "viewer", "[viewer]", null);
    for (int a = 0; a < agents; a++) {
      token(lines, agent(a), "[agent]", agent(a));
    }
    Files.writeString(dir.resolve("tokens.yml"), lines.toString());
    Path config = dir.resolve("controller.yml");
    Files.writeString(
        config,
        """
        replicaId: bench-console
        topologyFile: %s
        credentialsDir: %s
        agentLease: 1h
        zookeeper:
          connectString: %s
          sessionTimeout: 30s
          connectionTimeout: 15s
        datasets: []
        security:
          usersFile: %s
          tokensFile: %s
          secureCookie: false
        audit:
          spoolDir: %s
        server:
          applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
          adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
          requestLog: {appenders: []}
        logging:
          level: WARN
          appenders: [{type: file, currentLogFilename: %s, archive: false}]
        """
            .formatted(
                dir.resolve("topology.yaml"),
                dir,
                zookeeper,
                dir.resolve("users.yml"),
                dir.resolve("tokens.yml"),
                dir.resolve("audit-spool"),
                dir.resolve("controller.log")));
    return config;
  }

  private void token(StringBuilder lines, String name, String roles, String agentId) {
    String token = "tok-" + name + "-" + Hashes.randomToken();
    tokens.put(name, token);
    lines.append(
        "  - {name: %s, sha256: %s, roles: %s%s}\n"
            .formatted(
                name, Hashes.sha256(token), roles, agentId == null ? "" : ", agentId: " + agentId));
  }

  private String topology(String endpoint) {
    StringBuilder domains =
        new StringBuilder(
            "tiers:\n  - {name: hot-nvme, fillCeiling: 0.85}\ndomains:\n"
                + "  - {id: region-1, level: region}\n"
                + "  - {id: site-1, level: site, parent: region-1}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    int perRoom = (racks + rooms - 1) / rooms;
    int a = 0;
    for (int r = 0; r < racks; r++) {
      int room = r / perRoom;
      int inRoom = r % perRoom;
      String roomId = String.format(Locale.ROOT, "room-%02d", room);
      String rowId = roomId + String.format(Locale.ROOT, "-row-%03d", inRoom / racksPerRow);
      if (inRoom == 0) {
        domains.append("  - {id: %s, level: room, parent: site-1}\n".formatted(roomId));
      }
      if (inRoom % racksPerRow == 0) {
        domains.append("  - {id: %s, level: row, parent: %s}\n".formatted(rowId, roomId));
      }
      domains.append("  - {id: %s, level: rack, parent: %s}\n".formatted(rack(r), rowId));
      for (; a < agents && rackOfAgent(a) == r; a++) {
        domains.append("  - {id: %s, level: node, parent: %s}\n".formatted(node(a), rack(r)));
      }
      pools.append(
          "  - {id: %s, domain: %s, tier: hot-nvme, endpoint: \"%s\", capacity: 1TiB,"
                  .formatted(pool(r), rack(r), endpoint)
              + " credentials: \"file:pool.credentials\"}\n");
    }
    return domains.append(pools).toString();
  }
}
