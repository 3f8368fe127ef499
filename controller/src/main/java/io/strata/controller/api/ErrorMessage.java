package io.strata.controller.api;

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
}
