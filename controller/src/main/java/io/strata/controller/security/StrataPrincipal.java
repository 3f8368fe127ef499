package io.strata.controller.security;

import java.security.Principal;
import java.util.Set;

/**
 * Who made a request, and how they proved it.
 *
 * @param name the user or token name
 * @param roles the roles it holds (see {@link Roles})
 * @param method how it authenticated
 * @param agentId for an agent token, the only agent id it may act for; null otherwise
 */
public record StrataPrincipal(String name, Set<String> roles, Method method, String agentId)
    implements Principal {
  /** How a principal authenticated. */
  public enum Method {
    /** A console session cookie: mutating calls need the session's CSRF token. */
    SESSION,
    /** HTTP Basic with a user's password: reads only (a browser would replay it cross-site). */
    BASIC,
    /** A bearer token: automation, agents, Prometheus. */
    TOKEN
  }

  public StrataPrincipal {
    roles = Set.copyOf(roles);
  }

  @Override
  public String getName() {
    return name;
  }

  /** The roles as one label for logs and the audit trail, e.g. {@code operator+viewer}. */
  public String roleLabel() {
    return String.join("+", roles.stream().sorted().toList());
  }
}
