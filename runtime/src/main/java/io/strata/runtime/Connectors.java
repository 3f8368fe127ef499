package io.strata.runtime;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The network connectors of a started Dropwizard server, as the controller and agent read them. */
public final class Connectors {
  private Connectors() {}

  /** The port of the application connector once the server has started; -1 when it has none. */
  public static int applicationPort(Server server) {
    ServerConnector connector = applicationConnector(server);
    return connector == null ? -1 : connector.getLocalPort();
  }

  /**
   * The connector serving the application: the one named so by Dropwizard's default server, else
   * the only one of a simple server; null when the server has no network connector.
   */
  public static ServerConnector applicationConnector(Server server) {
    ServerConnector first = null;
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector sc) {
        if ("application".equals(sc.getName())) {
          return sc;
        }
        first = first == null ? sc : first;
      }
    }
    return first;
  }
}
