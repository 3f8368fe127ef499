package io.strata.controller.security;

import io.strata.runtime.http.JsonErrors;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Guards what Jersey does not serve: the console's pages and {@code /metrics}. The API under {@code
 * /api/} passes through to Jersey's own authentication.
 *
 * <ul>
 *   <li>The login page, its script and style, and the texts in both languages are open; every other
 *       console file needs a live session, else a GET is redirected to {@code /login.html}
 *       (anything else gets 401).
 *   <li>{@code /metrics} needs a bearer token with the role {@code metrics} or {@code viewer} (401
 *       without, 403 with another role), unless {@code security.metrics.public} is set for a
 *       loopback deployment.
 * </ul>
 *
 * Every answer carries headers that keep the console out of frames and other sites' scripts.
 */
public final class WebSecurityFilter implements Filter {
  private static final Set<String> OPEN =
      Set.of(
          "/login.html",
          "/login.js",
          "/console.css",
          "/favicon.ico",
          "/i18n.js",
          "/messages/en.json",
          "/messages/zh.json");

  /**
   * The request attribute holding the caller's address, for the API's login throttle (Jersey's
   * request properties are the servlet request's attributes).
   */
  public static final String SOURCE_ADDRESS = "strata.sourceAddress";

  private final Supplier<Identities> identities;
  private final SessionStore sessions;
  private final boolean metricsPublic;

  public WebSecurityFilter(
      Supplier<Identities> identities, SessionStore sessions, boolean metricsPublic) {
    this.identities = identities;
    this.sessions = sessions;
    this.metricsPublic = metricsPublic;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.startsWith("/api/")) {
      response.setHeader("Cache-Control", "no-store");
      request.setAttribute(SOURCE_ADDRESS, request.getRemoteAddr());
      chain.doFilter(req, res);
    } else if (path.equals("/metrics") || path.startsWith("/metrics/")) {
      metrics(request, response, chain);
    } else if (OPEN.contains(path) || session(request).isPresent()) {
      chain.doFilter(req, res);
    } else if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      response.sendRedirect(request.getContextPath() + "/login.html");
    } else {
      JsonErrors.write(response, 401, "log in first: POST /api/v1/session");
    }
  }

  private void metrics(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (metricsPublic) {
      chain.doFilter(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    Optional<StrataPrincipal> principal =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? identities.get().token(header.substring(7).trim())
            : Optional.empty();
    if (principal.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"strata\"");
      JsonErrors.write(
          response, 401, "/metrics needs a bearer token with the role metrics or viewer");
    } else if (principal.get().roles().contains(Roles.METRICS)
        || principal.get().roles().contains(Roles.VIEWER)) {
      chain.doFilter(request, response);
    } else {
      JsonErrors.write(response, 403, "/metrics is for the roles metrics and viewer");
    }
  }

  private Optional<SessionStore.Session> session(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie c : cookies) {
      if (SessionAuthFilter.COOKIE.equals(c.getName())) {
        return sessions.touch(c.getValue());
      }
    }
    return Optional.empty();
  }
}
