package io.strata.runtime;

import java.io.IOException;
import java.net.InetAddress;

/** What a process knows of the host it runs on. */
public final class Hosts {
  private Hosts() {}

  /** The host name, or {@code unknown} when it cannot be resolved. */
  public static String nameOrUnknown() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
