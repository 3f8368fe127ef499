package io.strata.topology;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML for the files that grow with the fleet: the topology (10,000 racks, 50,000 nodes) and the
 * tokens file (a token per agent). SnakeYAML refuses a document over 3 MiB by default; a topology
 * with its node domains, or the tokens of 50,000 agents (7 MB), is larger.
 */
public final class FleetYaml {
  /** The largest document read: 64 Mi code points, ten times the design's fleet. */
  public static final int CODE_POINT_LIMIT = 64 * 1024 * 1024;

  private FleetYaml() {}

  /** A factory builder whose parser takes documents up to {@link #CODE_POINT_LIMIT}. */
  public static YAMLFactoryBuilder builder() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(CODE_POINT_LIMIT);
    return YAMLFactory.builder().loaderOptions(options);
  }

  /** A factory whose parser takes documents up to {@link #CODE_POINT_LIMIT}. */
  public static YAMLFactory factory() {
    return builder().build();
  }
}
