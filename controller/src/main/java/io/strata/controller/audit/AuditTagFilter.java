package io.strata.controller.audit;

import io.strata.controller.security.StrataPrincipal;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Tells the {@link AuditFilter} who is calling and which route: runs after authentication and just
 * before role checks, so a refused call (403) is recorded with its principal. A call refused by
 * authentication (401) never reaches it and is recorded as anonymous. As a response filter, it
 * completes the call's audit record before Jersey writes the answer, so that a client that has its
 * answer knows the record is in the spool.
 */
@Priority(Priorities.AUTHORIZATION - 1)
public final class AuditTagFilter implements ContainerRequestFilter, ContainerResponseFilter {
  @Context private ExtendedUriInfo uriInfo;

  @Override
  public void filter(ContainerRequestContext request) {
    List<String> parts = new ArrayList<>();
    for (UriTemplate t : uriInfo.getMatchedTemplates()) {
      parts.add(t.getTemplate());
    }
    Collections.reverse(parts);
    request.setProperty(
        AuditTags.ACTION, request.getMethod() + " " + String.join("", parts).replaceAll("/+", "/"));
    if (request.getSecurityContext().getUserPrincipal() instanceof StrataPrincipal p) {
      request.setProperty(AuditTags.PRINCIPAL, p.name());
      request.setProperty(AuditTags.ROLE, p.roleLabel());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(AuditFilter.PENDING) instanceof AuditFilter.Pending pending) {
      pending.complete(response.getStatus());
    }
  }
}
