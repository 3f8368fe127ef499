package io.strata.controller.security;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The security context of an authenticated request: roles come from the principal alone. */
record PrincipalSecurityContext(StrataPrincipal principal, boolean secure, String scheme)
    implements SecurityContext {
  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public boolean isUserInRole(String role) {
    return principal.roles().contains(role);
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return scheme;
  }
}
