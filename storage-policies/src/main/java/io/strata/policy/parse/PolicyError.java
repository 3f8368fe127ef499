package io.strata.policy.parse;

import io.strata.policy.model.SourcePosition;

/**
 * One problem with a policy, precise enough to fix without reading code: where it is, which field,
 * what was found and what is allowed.
 *
 * @param file the name the file was loaded under
 * @param line from 1
 * @param column from 1
 * @param field the dotted path of the field ({@code retention.minimum}, {@code phases.90d}); empty
 *     when the problem is with the file as a whole
 * @param message what was found and what is allowed
 */
public record PolicyError(String file, int line, int column, String field, String message) {
  /** An error at a recorded position. */
  public static PolicyError at(SourcePosition where, String field, String message) {
    return new PolicyError(where.file(), where.line(), where.column(), field, message);
  }

  /** {@code file:line:col: field: message}, the form editors and compilers use. */
  @Override
  public String toString() {
    return file
        + ":"
        + line
        + ":"
        + column
        + ": "
        + (field == null || field.isEmpty() ? "" : field + ": ")
        + message;
  }
}
