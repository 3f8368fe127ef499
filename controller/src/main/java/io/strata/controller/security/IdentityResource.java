package io.strata.controller.security;

import io.strata.controller.audit.AuditTags;
import io.strata.controller.http.ErrorMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Users, tokens and console sessions, for admins: {@code /api/v1/identities} and {@code
 * /api/v1/sessions}. Changes are kept in ZooKeeper ({@link IdentityStore}) over the users and
 * tokens files, and are in force on every replica within moments; each is in the audit trail, with
 * its parameters digested without the password.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class IdentityResource {
  private static final Pattern SESSION_HASH = Pattern.compile("[0-9a-f]{64}");

  /**
   * A change of a user: null fields stay as they are. A new user needs a password and roles.
   *
   * @param password the new password, kept as a bcrypt hash only; never logged or echoed
   */
  public record UserChange(String password, List<String> roles, Boolean disabled) {
    @Override
    public String toString() {
      return "UserChange[password="
          + (password == null ? "null" : "****")
          + ", roles="
          + roles
          + ", disabled="
          + disabled
          + "]";
    }
  }

  /** A token to make: its text is answered once and kept as a SHA-256 only. */
  public record NewToken(String name, List<String> roles, String agentId) {}

  /** A token just made: {@code token} is shown this once. */
  public record CreatedToken(String name, String token, List<String> roles, String agentId) {}

  /** A change of a token: disable or enable it. */
  public record TokenChange(Boolean disabled) {}

  private final IdentityStore store;
  private final SessionStore sessions;

  public IdentityResource(IdentityStore store, SessionStore sessions) {
    this.store = store;
    this.sessions = sessions;
  }

  /** 200: every user, with roles, whether disabled, and where it comes from; never a hash. */
  @GET
  @Path("/identities/users")
  public List<IdentityStore.Entry> users() {
    return store.listUsers();
  }

  /**
   * Adds or changes a user. 200 with the user; 400 for a bad name; 422 naming every problem (a
   * password that breaks {@link PasswordRules}, an unknown role, a new user without password or
   * roles); 503 when ZooKeeper cannot take it.
   */
  @PUT
  @Path("/identities/users/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public IdentityStore.Entry putUser(
      @PathParam("name") String name, UserChange change, @Context HttpServletRequest request) {
    checkName(name, "user");
    UserChange c = change == null ? new UserChange(null, null, null) : change;
    request.setAttribute(
        AuditTags.PARAMETERS,
        "user="
            + name
            + " roles="
            + c.roles()
            + " disabled="
            + c.disabled()
            + " password="
            + (c.password() != null));
    var before = store.user(name);
    boolean exists = before.map(u -> !u.removed()).orElse(false) || store.inFiles(name);
    List<String> problems = new ArrayList<>();
    if (c.password() != null) {
      problems.addAll(PasswordRules.problems(name, c.password()));
    } else if (!exists) {
      problems.add("a new user needs a password");
    }
    if (c.roles() != null) {
      checkRoles(c.roles(), problems);
    } else if (!exists) {
      problems.add("a new user needs roles, of " + String.join(", ", Roles.ALL));
    }
    if (!problems.isEmpty()) {
      throw ErrorMessage.failure(422, "the user cannot be stored as sent", problems);
    }
    var kept = before.filter(u -> !u.removed());
    store(
        () ->
            store.putUser(
                name,
                new IdentityStore.StoredUser(
                    c.password() != null
                        ? Hashes.bcrypt(c.password())
                        : kept.map(IdentityStore.StoredUser::passwordHash).orElse(null),
                    c.roles() != null
                        ? List.copyOf(c.roles())
                        : kept.map(IdentityStore.StoredUser::roles).orElse(null),
                    c.disabled() != null
                        ? c.disabled()
                        : kept.map(IdentityStore.StoredUser::disabled).orElse(false),
                    false)));
    return find(store.listUsers(), name);
  }

  /**
   * Removes a user: its console sessions end on every replica. 204; 404 for no such user; 503 when
   * ZooKeeper cannot take it.
   */
  @DELETE
  @Path("/identities/users/{name}")
  public Response removeUser(@PathParam("name") String name) {
    checkName(name, "user");
    if (store.listUsers().stream().noneMatch(e -> e.name().equals(name))) {
      throw ErrorMessage.failure(404, "no user '" + name + "'");
    }
    // A user of the files stays out through a marker; one of the API only is simply deleted.
    store(
        () -> {
          if (store.inFiles(name)) {
            store.putUser(name, new IdentityStore.StoredUser(null, null, false, true));
          } else {
            store.deleteUser(name);
          }
        });
    return Response.noContent().build();
  }

  /** 200: every token, with roles and agent id; never its text or hash. */
  @GET
  @Path("/identities/tokens")
  public List<IdentityStore.Entry> tokens() {
    return store.listTokens();
  }

  /**
   * Makes a token. 201 with its text, shown this once; 422 naming every problem (name, roles, an
   * agent id exactly with the role agent); 409 when the name is taken; 503 when ZooKeeper cannot
   * take it.
   */
  @POST
  @Path("/identities/tokens")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response newToken(NewToken token) {
    List<String> problems = new ArrayList<>();
    if (token == null
        || token.name() == null
        || !IdentityStore.NAME.matcher(token.name()).matches()) {
      problems.add("name: 1 to 128 of letters, digits, '.', '_', '@' and '-'");
    }
    List<String> roles = token == null || token.roles() == null ? List.of() : token.roles();
    checkRoles(roles, problems);
    String agentId = token == null ? null : token.agentId();
    if (problems.isEmpty() && roles.contains(Roles.AGENT) != (agentId != null)) {
      problems.add("agentId: a token has an agentId exactly when it has the role agent");
    }
    if (!problems.isEmpty()) {
      throw ErrorMessage.failure(422, "the token cannot be made as sent", problems);
    }
    if (store.listTokens().stream().anyMatch(e -> e.name().equals(token.name()))) {
      throw ErrorMessage.failure(409, "a token named '" + token.name() + "' exists");
    }
    String text = Hashes.randomToken();
    store(
        () ->
            store.putToken(
                token.name(),
                new IdentityStore.StoredToken(
                    Hashes.sha256(text), List.copyOf(roles), agentId, false, false)));
    return Response.status(201)
        .entity(new CreatedToken(token.name(), text, roles.stream().sorted().toList(), agentId))
        .build();
  }

  /** Disables or enables a token. 200 with it; 404 for no such token; 422 without a change. */
  @PUT
  @Path("/identities/tokens/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public IdentityStore.Entry changeToken(@PathParam("name") String name, TokenChange change) {
    checkName(name, "token");
    if (change == null || change.disabled() == null) {
      throw ErrorMessage.failure(422, "send {\"disabled\": true|false}");
    }
    var stored = store.token(name).filter(t -> !t.removed());
    if (stored.isEmpty()) {
      if (store.tokenInFiles(name)) {
        throw ErrorMessage.failure(
            422, "token '" + name + "' is the tokens file's: remove it, or change the file");
      }
      throw ErrorMessage.failure(404, "no token '" + name + "'");
    }
    IdentityStore.StoredToken t = stored.get();
    store(
        () ->
            store.putToken(
                name,
                new IdentityStore.StoredToken(
                    t.sha256(), t.roles(), t.agentId(), change.disabled(), false)));
    return find(store.listTokens(), name);
  }

  /** Revokes a token on every replica. 204; 404 for no such token. */
  @DELETE
  @Path("/identities/tokens/{name}")
  public Response removeToken(@PathParam("name") String name) {
    checkName(name, "token");
    if (store.listTokens().stream().noneMatch(e -> e.name().equals(name))) {
      throw ErrorMessage.failure(404, "no token '" + name + "'");
    }
    store(
        () -> {
          if (store.tokenInFiles(name)) {
            store.putToken(name, new IdentityStore.StoredToken(null, null, null, false, true));
          } else {
            store.deleteToken(name);
          }
        });
    return Response.noContent().build();
  }

  /** 200: the live console sessions, by the SHA-256 of their ids, oldest activity first. */
  @GET
  @Path("/sessions")
  public List<SessionStore.Listed> sessions(@QueryParam("limit") @DefaultValue("1000") int limit) {
    if (limit < 1 || limit > 100_000) {
      throw ErrorMessage.failure(400, "limit must be 1 to 100000");
    }
    try {
      return sessions.list(limit);
    } catch (IllegalStateException e) {
      throw ErrorMessage.failure(503, e.getMessage());
    }
  }

  /** Ends a session on every replica. 204; 400 for a malformed hash; 404 for no such session. */
  @DELETE
  @Path("/sessions/{hash}")
  public Response endSession(@PathParam("hash") String hash) {
    if (!SESSION_HASH.matcher(hash).matches()) {
      throw ErrorMessage.failure(400, "a session is named by 64 lower-case hex digits");
    }
    boolean ended;
    try {
      ended = sessions.end(hash);
    } catch (IllegalStateException e) {
      throw ErrorMessage.failure(503, e.getMessage());
    }
    if (!ended) {
      throw ErrorMessage.failure(404, "no session " + hash);
    }
    return Response.noContent().build();
  }

  private static void checkName(String name, String what) {
    if (!IdentityStore.NAME.matcher(name).matches()) {
      throw ErrorMessage.failure(
          400, "a " + what + " name is 1 to 128 of letters, digits, '.', '_', '@' and '-'");
    }
  }

  private static void checkRoles(List<String> roles, List<String> problems) {
    if (roles.isEmpty()) {
      problems.add("roles: at least one of " + String.join(", ", Roles.ALL));
    }
    for (String role : roles) {
      if (role == null || !Roles.ALL.contains(role)) {
        problems.add(
            "roles: unknown role '" + role + "'; allowed: " + String.join(", ", Roles.ALL));
      }
    }
  }

  private static void store(Runnable change) {
    try {
      change.run();
    } catch (IllegalStateException e) {
      throw ErrorMessage.failure(503, e.getMessage());
    }
  }

  private static IdentityStore.Entry find(List<IdentityStore.Entry> entries, String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }
}
