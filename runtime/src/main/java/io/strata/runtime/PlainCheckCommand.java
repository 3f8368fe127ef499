package io.strata.runtime;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code check}, which only parses and validates the configuration, followed by a
 * reading of what the configuration names (files, secrets' references), as the process would read
 * them at start but without connecting anywhere: a configuration that passes {@code check} then
 * does not stop the start on a missing file. Problems are printed as {@link PlainServerCommand}
 * prints them; success prints what was read.
 *
 * @param <T> the application's configuration
 */
public final class PlainCheckCommand<T extends Configuration> extends CheckCommand<T> {

  /** Reads what a configuration names. */
  @FunctionalInterface
  public interface NamedInputs<T> {
    /**
     * @return a line or more saying what was read, for the operator
     * @throws ConfiguredInputException or a configuration exception, saying what and where
     */
    String check(T configuration) throws Exception;
  }

  private final NamedInputs<T> inputs;

  public PlainCheckCommand(Application<T> application, NamedInputs<T> inputs) {
    super(application);
    this.inputs = inputs;
  }

  @Override
  protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration)
      throws Exception {
    String read = inputs.check(configuration);
    super.run(bootstrap, namespace, configuration);
    System.out.println("configuration OK: " + read);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (!PlainServerCommand.printedPlainly(cli, e, "")) {
      super.onError(cli, namespace, e);
    }
  }
}
