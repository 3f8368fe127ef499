package io.strata.policy.model;

/**
 * Where something was written: a file, a line and a column, both counted from 1.
 *
 * @param file the name the file was loaded under
 * @param line from 1
 * @param column from 1
 */
public record SourcePosition(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
