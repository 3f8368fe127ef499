package io.strata.controller.security;

import io.strata.controller.audit.AuditTags;
import io.strata.controller.http.ErrorMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * Console sessions: {@code /api/v1/session}. Logging in sets a cookie that is {@code HttpOnly},
 * {@code SameSite=Strict} and (unless configured off for plain-HTTP loopback) {@code Secure}, and
 * returns the CSRF token the console sends back in {@code X-CSRF-Token} with every change.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
  /**
   * A login form.
   *
   * @param user the user name
   * @param password the password; never logged, stored or echoed
   */
  public record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + ", password=****]";
    }
  }

  /**
   * Who is logged in.
   *
   * @param user the user or token name
   * @param roles its roles
   * @param method SESSION, BASIC or TOKEN
   * @param csrfToken the session's CSRF token; null when not a session
   * @param idleTimeoutSeconds a session ends after this long without a request
   */
  public record SessionView(
      String user, List<String> roles, String method, String csrfToken, long idleTimeoutSeconds) {}

  /** The audit trail's principal for a login with a name that is no user's. */
  public static final String UNKNOWN_USER = "(unknown user)";

  private final Supplier<Identities> identities;
  private final SessionStore sessions;
  private final LoginThrottle throttle;
  private final boolean secureCookie;

  public SessionResource(
      Supplier<Identities> identities,
      SessionStore sessions,
      LoginThrottle throttle,
      boolean secureCookie) {
    this.identities = identities;
    this.sessions = sessions;
    this.throttle = throttle;
    this.secureCookie = secureCookie;
  }

  /**
   * Logs in. 200 with the session and its cookie; 400 when user or password is missing; 401 when
   * they do not match (the same answer for an unknown user); 429 with {@code Retry-After} while the
   * {@link LoginThrottle} holds this user name or source address back (the password is then not
   * checked); 503 when too many sessions are open, or ZooKeeper cannot be reached.
   */
  @POST
  @Public
  @Consumes(MediaType.APPLICATION_JSON)
  public Response login(Login login, @Context HttpServletRequest request) {
    String user = login == null || login.user() == null ? "" : login.user();
    // A name that is no user's is kept out of the trail: it is often a password typed one field
    // too early.
    String tried = identities.get().hasUser(user) ? user : UNKNOWN_USER;
    request.setAttribute(AuditTags.ACTION, "login");
    request.setAttribute(AuditTags.PRINCIPAL, tried);
    request.setAttribute(AuditTags.PARAMETERS, "user=" + tried);
    if (login == null || user.isEmpty() || login.password() == null) {
      return error(400, "send {\"user\": ..., \"password\": ...}");
    }
    String address = request.getRemoteAddr();
    try {
      var wait = throttle.refusal(user, address);
      if (wait.isPresent()) {
        return ApiErrors.throttled(wait.get());
      }
    } catch (LoginThrottle.Unavailable e) {
      return ApiErrors.throttleUnavailable();
    }
    var principal =
        identities.get().password(user, login.password(), StrataPrincipal.Method.SESSION);
    if (principal.isEmpty()) {
      try {
        throttle.failed(user, address);
      } catch (LoginThrottle.Unavailable e) {
        return ApiErrors.throttleUnavailable();
      }
      return error(401, "user name or password is wrong");
    }
    throttle.succeeded(user);
    request.setAttribute(AuditTags.ROLE, principal.get().roleLabel());
    SessionStore.Session session;
    try {
      session = sessions.open(principal.get());
    } catch (IllegalStateException e) {
      return error(503, e.getMessage());
    }
    return Response.ok(view(session.principal(), session.csrfToken()))
        .header(HttpHeaders.SET_COOKIE, cookie(session.id(), -1))
        .build();
  }

  /** 200: who is calling; a session's answer carries its CSRF token (the console reloads it). */
  @GET
  @RolesAllowed({
    Roles.VIEWER,
    Roles.OPERATOR,
    Roles.PLANNER,
    Roles.ADMIN,
    Roles.AGENT,
    Roles.AUDITOR,
    Roles.METRICS
  })
  public SessionView whoAmI(
      @Context SecurityContext security, @Context ContainerRequestContext request) {
    StrataPrincipal principal = (StrataPrincipal) security.getUserPrincipal();
    Object session = request.getProperty(SessionAuthFilter.SESSION_PROPERTY);
    return view(principal, session instanceof SessionStore.Session s ? s.csrfToken() : null);
  }

  /** 204: logs off (idempotent; works without a live session) and clears the cookie. */
  @DELETE
  @Public
  public Response logout(
      @CookieParam(SessionAuthFilter.COOKIE) String id, @Context HttpServletRequest request) {
    request.setAttribute(AuditTags.ACTION, "logout");
    sessions
        .touch(id)
        .ifPresent(s -> request.setAttribute(AuditTags.PRINCIPAL, s.principal().name()));
    sessions.close(id);
    return Response.noContent().header(HttpHeaders.SET_COOKIE, cookie("", 0)).build();
  }

  private SessionView view(StrataPrincipal p, String csrf) {
    return new SessionView(
        p.name(),
        p.roles().stream().sorted().toList(),
        p.method().name(),
        csrf,
        sessions.idleTimeout().toSeconds());
  }

  private String cookie(String value, int maxAge) {
    return SessionAuthFilter.COOKIE
        + "="
        + value
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (secureCookie ? "; Secure" : "")
        + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(status, message))
        .build();
  }
}
