package io.strata.controller.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The body of every error the API returns.
 *
 * @param code the HTTP status
 * @param message what was wrong, and what is allowed
 * @param details every problem, when there were several
 */
public record ErrorMessage(int code, String message, List<String> details) {
  public ErrorMessage(int code, String message) {
    this(code, message, List.of());
  }

  /** An answer with {@code status} and this body, to throw from a resource. */
  public static WebApplicationException failure(int status, String message) {
    return failure(status, message, List.of());
  }

  /** An answer with {@code status} and this body naming every problem, to throw. */
  public static WebApplicationException failure(int status, String message, List<String> details) {
    return new WebApplicationException(
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorMessage(status, message, details))
            .build());
  }
}
