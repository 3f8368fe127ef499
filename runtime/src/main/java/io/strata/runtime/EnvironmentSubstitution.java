package io.strata.runtime;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.setup.Bootstrap;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in a configuration file come from the environment,
 * for the controller and the agent alike: secrets such as a key store password stay out of
 * configuration files, and one file serves every node of a DaemonSet.
 */
public final class EnvironmentSubstitution {
  private EnvironmentSubstitution() {}

  /**
   * Makes the application's configuration file substitute from the environment; a name that is
   * unset and has no default stays as written, for the configuration's own checks to refuse.
   */
  public static void apply(Bootstrap<?> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
  }
}
