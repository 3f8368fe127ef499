package io.strata.controller.http;

import io.strata.runtime.Connectors;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * The URL at which agents reach a replica's API. The leader publishes its own in ZooKeeper, and
 * followers send agents there ({@link Leadership#currentLeaderUrl}), so it must be reachable from
 * the storage nodes: {@code advertisedUrl} in {@code controller.yml} when set, else one derived
 * from the application connector.
 */
public final class AdvertisedUrl {
  /** What Jetty's TLS connection factory calls its protocol. */
  private static final String TLS_PROTOCOL = new SslConnectionFactory().getProtocol();

  private AdvertisedUrl() {}

  /**
   * The URL derived from the application connector of a started server: its scheme, its port, and
   * its bind host, or {@code hostName} when it binds every interface.
   *
   * @throws IllegalStateException when the server has no network connector
   */
  public static String of(Server server, Supplier<String> hostName) {
    ServerConnector chosen = Connectors.applicationConnector(server);
    if (chosen == null) {
      throw new IllegalStateException("the controller has no network connector to advertise");
    }
    return of(
        // By protocol name: Dropwizard wraps each factory in one that counts connections.
        chosen.getProtocols().stream().anyMatch(TLS_PROTOCOL::equalsIgnoreCase),
        chosen.getHost(),
        chosen.getLocalPort(),
        hostName);
  }

  /**
   * @param tls whether the connector speaks TLS
   * @param bindHost the address the connector binds, null for every interface
   * @param port the port it listens on
   * @param hostName this machine's name, asked only when the connector binds every interface
   */
  static String of(boolean tls, String bindHost, int port, Supplier<String> hostName) {
    String host =
        bindHost == null
                || bindHost.isBlank()
                || bindHost.equals("0.0.0.0")
                || bindHost.equals("::")
                || bindHost.equals("[::]")
            ? hostName.get()
            : bindHost;
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (tls ? "https" : "http") + "://" + host + ":" + port;
  }
}
