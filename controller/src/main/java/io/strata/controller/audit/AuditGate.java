package io.strata.controller.audit;

import io.strata.controller.http.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/**
 * The audit trail fails closed: a call that may change something (one the {@link AuditFilter}
 * records) reaches its resource only once room for its record is reserved in the spool ({@link
 * AuditTrail#reserve}); when the spool cannot take it, the call is answered 503 and changes
 * nothing. Reads never reach here and go on. Runs after authentication and role checks, so a call
 * refused for its credentials is refused as before.
 */
@Priority(Priorities.USER)
public final class AuditGate implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getProperty(AuditFilter.PENDING) instanceof AuditFilter.Pending pending)
        || AuditFilter.exempt(
            request.getProperty(AuditTags.ACTION), request.getProperty(AuditTags.ROLE))) {
      return;
    }
    try {
      pending.reserve();
    } catch (IOException e) {
      request.abortWith(
          Response.status(Response.Status.SERVICE_UNAVAILABLE)
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(
                  new ErrorMessage(
                      503,
                      "the audit trail cannot record this change now (its spool cannot be"
                          + " written), so it is not made; reads go on",
                      List.of()))
              .build());
    }
  }
}
