package io.strata.runtime;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a configuration it cannot use is reported as
 * {@code check} reports it: what is wrong and where, without the stack trace that buried it. So is
 * a file or secret the configuration names that turns out unusable as the process starts ({@link
 * ConfiguredInputException}). Other failures keep their stack trace.
 *
 * @param <T> the application's configuration
 */
public final class PlainServerCommand<T extends Configuration> extends ServerCommand<T> {

  public PlainServerCommand(Application<T> application) {
    super(application);
  }

  /**
   * Dropwizard's two default commands, this {@code server} and a {@code check} that also reads what
   * the configuration names: for addDefaultCommands.
   */
  public static <T extends Configuration> void addDefaults(
      Application<T> application, Bootstrap<T> bootstrap, PlainCheckCommand.NamedInputs<T> inputs) {
    bootstrap.addCommand(new PlainServerCommand<>(application));
    bootstrap.addCommand(new PlainCheckCommand<>(application, inputs));
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!printedPlainly(cli, e, "cannot start: ")) {
      super.onError(cli, namespace, e);
    }
  }

  /**
   * Prints a configuration error, or a {@link ConfiguredInputException} anywhere in {@code e}'s
   * causes, as its message alone (the latter after {@code prefix}).
   *
   * @return false, printing nothing, for any other failure
   */
  static boolean printedPlainly(Cli cli, Throwable e, String prefix) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigurationException) {
        cli.getStdErr().println(t.getMessage());
        return true;
      }
      if (t instanceof ConfiguredInputException) {
        cli.getStdErr().println(prefix + t.getMessage());
        return true;
      }
    }
    return false;
  }
}
