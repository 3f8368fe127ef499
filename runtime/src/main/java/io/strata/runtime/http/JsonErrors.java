package io.strata.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error answer of a servlet filter that stops a request before Jersey sees it, in the shape
 * Jersey's own errors have ({@code {"code", "message", "details"}}), so that clients read one shape
 * from the controller's and the agents' ports alike.
 */
public final class JsonErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonErrors() {}

  /** Answers {@code status} with {@code message}, escaped as JSON. */
  public static void write(HttpServletResponse response, int status, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status);
    body.put("message", message);
    body.put("details", List.of());
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
