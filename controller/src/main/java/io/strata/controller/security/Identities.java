package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.runtime.ConfiguredInputException;
import io.strata.topology.FleetYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The people and tokens that may call the controller, read from two YAML files that hold only
 * hashes:
 *
 * <pre>
 * # users file
 * users:
 *   - {name: alice, passwordHash: "$2a$12$...", roles: [operator, viewer]}
 * # tokens file
 * tokens:
 *   - {name: prometheus, sha256: "9f86d0...", roles: [metrics]}
 *   - {name: agent-node-1, sha256: "60303a...", roles: [agent], agentId: node-1}
 * </pre>
 *
 * An agent token names the one agent id it may act for. Immutable and thread-safe once loaded.
 */
public final class Identities {
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One person. */
  public record User(
      @JsonProperty("name") String name,
      @JsonProperty("passwordHash") String passwordHash,
      @JsonProperty("roles") List<String> roles) {}

  /** One bearer token, by the SHA-256 of its text. */
  public record Token(
      @JsonProperty("name") String name,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("roles") List<String> roles,
      @JsonProperty("agentId") String agentId) {}

  record UsersFile(@JsonProperty("users") List<User> users) {}

  record TokensFile(@JsonProperty("tokens") List<Token> tokens) {}

  private final Map<String, User> users;
  private final Map<String, Token> tokensByHash;
  private final String usersDigest;
  private final String tokensDigest;

  Identities(List<User> users, List<Token> tokens) {
    this.users = new HashMap<>();
    users.forEach(u -> this.users.put(u.name(), u));
    this.tokensByHash = new HashMap<>();
    tokens.forEach(t -> this.tokensByHash.put(t.sha256(), t));
    this.usersDigest =
        digest(
            this.users.values().stream()
                .map(u -> String.join("\t", u.name(), u.passwordHash(), sorted(u.roles()))));
    this.tokensDigest =
        digest(
            tokensByHash.values().stream()
                .map(
                    t ->
                        String.join(
                            "\t",
                            t.sha256(),
                            t.name(),
                            sorted(t.roles()),
                            t.agentId() == null ? "" : t.agentId())));
  }

  /**
   * Reads and checks both files; a missing file means nobody of that kind.
   *
   * @throws ConfiguredInputException listing every problem with its file and entry
   */
  public static Identities load(Path usersFile, Path tokensFile) {
    ObjectMapper yaml =
        new ObjectMapper(FleetYaml.factory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<String> problems = new ArrayList<>();
    List<User> users = new ArrayList<>();
    List<Token> tokens = new ArrayList<>();
    try {
      if (Files.exists(usersFile)) {
        UsersFile file = yaml.readValue(usersFile.toFile(), UsersFile.class);
        if (file != null && file.users() != null) {
          users.addAll(file.users());
        }
      }
      if (Files.exists(tokensFile)) {
        TokensFile file = yaml.readValue(tokensFile.toFile(), TokensFile.class);
        if (file != null && file.tokens() != null) {
          tokens.addAll(file.tokens());
        }
      }
    } catch (IOException e) {
      // Jackson's message names the line and column, and never echoes a whole value.
      throw new ConfiguredInputException(
          "cannot read the users or tokens file: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      User u = users.get(i);
      String where = usersFile + ": users[" + i + "]";
      if (u.name() == null || u.name().isBlank() || !seen.add("user:" + u.name())) {
        problems.add(where + ": name is missing or repeated");
      }
      if (u.passwordHash() == null || !BCRYPT.matcher(u.passwordHash()).matches()) {
        problems.add(where + ": passwordHash must be a bcrypt hash ($2a$12$...)");
      }
      checkRoles(u.roles(), where, problems);
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      String where = tokensFile + ": tokens[" + i + "]";
      if (t.name() == null || t.name().isBlank() || !seen.add("token:" + t.name())) {
        problems.add(where + ": name is missing or repeated");
      }
      if (t.sha256() == null || !SHA256.matcher(t.sha256()).matches()) {
        problems.add(where + ": sha256 must be 64 lower-case hex digits");
      }
      checkRoles(t.roles(), where, problems);
      boolean agent = t.roles() != null && t.roles().contains(Roles.AGENT);
      if (agent != (t.agentId() != null)) {
        problems.add(where + ": a token has an agentId exactly when it has the role agent");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfiguredInputException(String.join("\n", problems));
    }
    return new Identities(users, tokens);
  }

  private static void checkRoles(List<String> roles, String where, List<String> problems) {
    if (roles == null || roles.isEmpty()) {
      problems.add(where + ": roles must name at least one of " + Roles.ALL);
      return;
    }
    for (String role : roles) {
      try {
        Roles.check(role, where);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
  }

  /** Every user, in no order. */
  List<User> users() {
    return List.copyOf(users.values());
  }

  /** Every token, in no order. */
  List<Token> tokens() {
    return List.copyOf(tokensByHash.values());
  }

  /** The user when {@code password} is theirs. Takes bcrypt's time whether the user exists. */
  public Optional<StrataPrincipal> password(
      String name, String password, StrataPrincipal.Method method) {
    User user = name == null ? null : users.get(name);
    if (password == null
        || !Hashes.bcryptMatches(password, user == null ? null : user.passwordHash())) {
      return Optional.empty();
    }
    return Optional.of(new StrataPrincipal(user.name(), Set.copyOf(user.roles()), method, null));
  }

  /** The principal of a bearer token, when the token is known. */
  public Optional<StrataPrincipal> token(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    Token t = tokensByHash.get(Hashes.sha256(token));
    return t == null
        ? Optional.empty()
        : Optional.of(
            new StrataPrincipal(
                t.name(), Set.copyOf(t.roles()), StrataPrincipal.Method.TOKEN, t.agentId()));
  }

  /** The roles of the user {@code name} now; empty when there is no such user. */
  public Optional<Set<String>> roles(String name) {
    User user = name == null ? null : users.get(name);
    return user == null ? Optional.empty() : Optional.of(Set.copyOf(user.roles()));
  }

  /** True when a user of this name exists. */
  public boolean hasUser(String name) {
    return name != null && users.containsKey(name);
  }

  public int userCount() {
    return users.size();
  }

  public int tokenCount() {
    return tokensByHash.size();
  }

  /**
   * What the users file grants, as a SHA-256: of every user's name, password hash and roles, in
   * order. Equal on two replicas exactly when they admit the same people with the same roles,
   * whatever the files' order, comments and spacing.
   */
  public String usersDigest() {
    return usersDigest;
  }

  /** What the tokens file grants, as a SHA-256, in the manner of {@link #usersDigest}. */
  public String tokensDigest() {
    return tokensDigest;
  }

  private static String digest(Stream<String> entries) {
    return Hashes.sha256(entries.sorted().collect(Collectors.joining("\n")));
  }

  private static String sorted(List<String> roles) {
    return roles.stream().sorted().collect(Collectors.joining(","));
  }
}
