package io.strata.controller.security;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates a console session by its cookie. A state-changing request (anything but GET, HEAD
 * and OPTIONS) must also carry the session's CSRF token in {@value #CSRF_HEADER}: a page of another
 * site can make the browser send the cookie, but cannot read the token to send it back. A request
 * marked {@value #BACKGROUND_HEADER} (the console's periodic refresh) does not restart the
 * session's idle time.
 */
@Priority(Priorities.AUTHENTICATION)
final class SessionAuthFilter extends AuthFilter<String, StrataPrincipal> {
  static final String COOKIE = "strata_session";
  static final String CSRF_HEADER = "X-CSRF-Token";

  /** Marks a request the console sends on its own (periodic refresh): it is not user activity. */
  static final String BACKGROUND_HEADER = "X-Strata-Background";

  /** The request property holding the {@link SessionStore.Session}, for {@code GET /session}. */
  static final String SESSION_PROPERTY = "strata.session";

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private final SessionStore sessions;

  SessionAuthFilter(SessionStore sessions) {
    this.sessions = sessions;
    this.prefix = "Session";
    this.realm = "strata";
    this.unauthorizedHandler = new ApiErrors.JsonUnauthorizedHandler();
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Cookie cookie = request.getCookies().get(COOKIE);
    Optional<SessionStore.Session> session =
        cookie == null
            ? Optional.empty()
            : request.getHeaderString(BACKGROUND_HEADER) != null
                ? sessions.peek(cookie.getValue())
                : sessions.touch(cookie.getValue());
    if (session.isEmpty()) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
    if (!SAFE.contains(request.getMethod())) {
      String sent = request.getHeaderString(CSRF_HEADER);
      if (sent == null || !Hashes.constantTimeEquals(sent, session.get().csrfToken())) {
        throw new ForbiddenException(
            ApiErrors.forbidden(
                "a console session must send its CSRF token in "
                    + CSRF_HEADER
                    + " with every change"));
      }
    }
    request.setProperty(SESSION_PROPERTY, session.get());
    request.setSecurityContext(
        new PrincipalSecurityContext(
            session.get().principal(), request.getSecurityContext().isSecure(), "SESSION"));
  }

  static boolean safe(String method) {
    return SAFE.contains(method);
  }
}
