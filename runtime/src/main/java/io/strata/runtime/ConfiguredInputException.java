package io.strata.runtime;

/**
 * Something a configuration names (a secret's file or environment variable, a users or tokens file)
 * cannot be used. The message says what and where, never a secret; {@link PlainServerCommand}
 * prints it alone, as it prints a configuration error, since a stack trace would only bury it.
 */
public class ConfiguredInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfiguredInputException(String message) {
    super(message);
  }
}
