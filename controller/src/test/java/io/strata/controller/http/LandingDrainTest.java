package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.datasets.Dataset;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.TopologyFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class LandingDrainTest {
  private static final ClusterMap MAP =
      TopologyFile.parse(
          "test",
          """
          tiers: [{name: hot}]
          domains:
            - {id: r, level: region}
            - {id: s, level: site, parent: r}
            - {id: rack-1, level: rack, parent: s}
            - {id: rack-2, level: rack, parent: s}
          pools:
            - {id: p1, domain: rack-1, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
            - {id: p2, domain: rack-2, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 1GiB}
          """);

  private static final List<Dataset> DATASETS =
      List.of(
          new Dataset("imaging", "", "p", List.of("p1"), false),
          new Dataset("records", "", "p", List.of("p1"), false),
          new Dataset("genomes", "", "p", List.of("p2"), false));

  @Test
  void aDrainOfALandingPoolOrItsRackNamesEveryDatasetThatLandsThere() {
    assertThat(OperatorResource.landingPools(DATASETS, MAP, "rack-1"))
        .containsExactly("pool p1 is the landing pool of datasets imaging, records");
    assertThat(OperatorResource.landingPools(DATASETS, MAP, "p2"))
        .containsExactly("pool p2 is the landing pool of dataset genomes");
    assertThat(OperatorResource.landingPools(DATASETS, MAP, "s")).hasSize(2);
  }

  @Test
  void aPoolNoDatasetLandsInOrOneDrainingAlreadyMayBeDrained() {
    assertThat(OperatorResource.landingPools(List.of(), MAP, "rack-1")).isEmpty();
    ClusterMap drained = MAP.withPool(MAP.pool("p1").orElseThrow().withState(DomainState.DRAINING));
    assertThat(OperatorResource.landingPools(DATASETS, drained, "rack-1")).isEmpty();
  }

  @Test
  void theRefusalIsA409SayingItCouldNeverFinishAndThatNothingChanged() {
    var refusal =
        OperatorResource.neverEnds(
            "rack-1", List.of("pool p1 is the landing pool of dataset imaging"));
    assertThat(refusal.getResponse().getStatus()).isEqualTo(409);
    ErrorMessage body = (ErrorMessage) refusal.getResponse().getEntity();
    assertThat(body.message())
        .startsWith("draining 'rack-1' could never finish: new objects keep landing in it")
        .contains("imaging")
        .endsWith("nothing changed");
    assertThat(body.details()).containsExactly("pool p1 is the landing pool of dataset imaging");
  }
}
