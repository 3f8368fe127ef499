package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.topology.ClusterMap;
import io.strata.topology.CopyRemap;
import io.strata.topology.DemoTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMapResourceTest {
  @Test
  void theMapComesWithItsExceptionsUnlessAskedWithoutThem() {
    ClusterMap balanced =
        DemoTopology.map()
            .withRemaps(
                List.of(new CopyRemap("h01-imaging:7", "czzl-a-r01-hot", "czzl-b-r01-hot")));
    // Not started: the store answers with the map it was given.
    ClusterMapResource resource = new ClusterMapResource(new ClusterMapStore(null, balanced), null);

    assertThat(resource.map(true).remaps()).hasSize(1);
    assertThat(resource.map(false).remaps()).isNull();
    assertThat(resource.map(false).epoch()).isEqualTo(balanced.epoch());
    assertThat(resource.map(false).pools()).isEqualTo(resource.map(true).pools());
  }
}
