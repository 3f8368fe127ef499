package io.strata.controller.security;

import io.dropwizard.auth.UnauthorizedHandler;
import io.strata.controller.http.ErrorMessage;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** The 401 and 403 answers of the API, as JSON {@code {code, message, details}}. */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * 401 with a {@code Bearer} challenge. Never a {@code Basic} challenge: a browser would answer it
   * with its own password dialog instead of letting the console show its login form.
   */
  public static Response unauthorized() {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"strata\"")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ErrorMessage(
                401,
                "credentials are required: a console session, a bearer token, or (for reads) HTTP"
                    + " Basic",
                List.of()))
        .build();
  }

  /** 403 saying why. */
  public static Response forbidden(String why) {
    return Response.status(Response.Status.FORBIDDEN)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(403, why, List.of()))
        .build();
  }

  /**
   * 429 for a login refused by the {@link LoginThrottle}, with {@code Retry-After} in whole seconds
   * (rounded up). The same for a user that exists and one that does not.
   */
  public static Response throttled(java.time.Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Response.status(429)
        .header(HttpHeaders.RETRY_AFTER, seconds)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ErrorMessage(
                429,
                "too many failed logins for this user name or from this address; try again in "
                    + seconds
                    + " s",
                List.of()))
        .build();
  }

  /** 503: logins cannot be checked against the throttle now. */
  public static Response throttleUnavailable() {
    return Response.status(503)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ErrorMessage(
                503,
                "logins cannot be checked now (ZooKeeper is not reachable); bearer tokens still"
                    + " work",
                List.of()))
        .build();
  }

  /** The handler Dropwizard's auth filters answer with. */
  static final class JsonUnauthorizedHandler implements UnauthorizedHandler {
    @Override
    public Response buildResponse(String prefix, String realm) {
      return unauthorized();
    }
  }

  /** The 403 of {@code @RolesAllowed}, in the API's JSON form. */
  public static final class ForbiddenMapper implements ExceptionMapper<ForbiddenException> {
    @Override
    public Response toResponse(ForbiddenException e) {
      if (e.getResponse().hasEntity()) {
        return e.getResponse();
      }
      return forbidden("your roles do not allow this call");
    }
  }
}
