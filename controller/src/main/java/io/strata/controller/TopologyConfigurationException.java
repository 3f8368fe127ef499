package io.strata.controller;

import io.dropwizard.configuration.ConfigurationException;
import java.util.Collection;

/** The topology file named by the configuration cannot be used; lists every problem. */
public class TopologyConfigurationException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  public TopologyConfigurationException(String path, Collection<String> errors) {
    super(path, errors);
  }
}
