package io.strata.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The sample fleet that {@code strata demo} runs: two sites of a Jiangsu health data center (the
 * Zhonglou cloud computing base in Changzhou and the Tianmu Lake data center in Liyang), two rooms
 * each, eight racks, eight pools on three tiers. Tests and bundled policies are checked against it.
 */
public final class DemoTopology {
  /** The classpath resource that holds the demo topology. */
  public static final String RESOURCE = "/io/strata/topology/demo-topology.yaml";

  private DemoTopology() {}

  /** The demo topology file's text. */
  public static String text() {
    try (InputStream in = DemoTopology.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The demo topology as a cluster map at epoch 1. */
  public static ClusterMap map() {
    return TopologyFile.parse("demo-topology.yaml", text());
  }
}
