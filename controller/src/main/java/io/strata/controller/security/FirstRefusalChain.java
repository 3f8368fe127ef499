package io.strata.controller.security;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.IOException;
import java.util.List;

/**
 * Tries authentication filters in order until one authenticates the request. When none does, the
 * answer is the first 403 any of them gave (credentials were presented but refused: a missing CSRF
 * token, Basic on a change), else the first 401. A 429 or 503 of the login throttle is answered at
 * once. Dropwizard's {@code ChainedAuthFilter} answers with the first filter's refusal, which would
 * hide a 403 behind the session filter's 401.
 */
@Priority(Priorities.AUTHENTICATION)
final class FirstRefusalChain extends AuthFilter<Object, StrataPrincipal> {
  private final List<AuthFilter<?, StrataPrincipal>> filters;

  FirstRefusalChain(List<AuthFilter<?, StrataPrincipal>> filters) {
    this.filters = List.copyOf(filters);
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    WebApplicationException first = null;
    for (AuthFilter<?, StrataPrincipal> filter : filters) {
      var before = request.getSecurityContext();
      try {
        filter.filter(request);
        if (request.getSecurityContext() != before) {
          return;
        }
      } catch (ForbiddenException e) {
        throw e;
      } catch (WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 429 || status == 503) {
          // A password login held back by the throttle, or one that cannot be checked: say so.
          throw e;
        }
        first = first == null ? e : first;
      }
    }
    throw first != null ? first : new ApiErrors.JsonUnauthorizedHandler().buildException("", "");
  }
}
