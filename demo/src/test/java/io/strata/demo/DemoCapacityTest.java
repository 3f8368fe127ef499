package io.strata.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.capacity.CapacityPlanner;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.Pool;
import io.strata.topology.TopologyFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's capacity plan: pools sized for a planner's horizons, and rack models to buy. */
class DemoCapacityTest {
  @TempDir Path dir;

  @Test
  void theDemoDeclaresItsPoolsInTiBToTheSameProportions() {
    ClusterMap small = DemoTopology.map();
    ClusterMap demo = TopologyFile.parse("topology.yaml", DemoFiles.plannable(DemoTopology.text()));

    assertThat(demo.pools()).hasSameSizeAs(small.pools());
    for (Pool p : small.pools().values()) {
      assertThat(demo.pools().get(p.id()).capacityBytes()).isEqualTo(p.capacityBytes() << 10);
    }
    // The hospitals write a study of about 0.5 MB every 30 s each: 3 × 1.44 GB a day, 2 copies
    // on hot. The hot tier's limit then lasts well over a year, where 2 GiB pools lasted hours.
    long hot =
        demo.pools().values().stream()
            .filter(p -> p.tier().equals("hot-nvme"))
            .mapToLong(Pool::capacityBytes)
            .sum();
    double days = hot * 0.85 / (3 * 2 * 1.44e9);
    assertThat(days).isBetween(365.0, 3 * 365.0);
  }

  @Test
  void theDemoControllerConfigurationHasARackModelForEveryTier() throws Exception {
    DemoFiles files = new DemoFiles(dir, true);
    DemoCredentials security = DemoCredentials.ensure(dir.resolve("security"), List.of("agent-1"));
    Path yaml = files.controllerConfig(18080, 12181, DemoHospitals.HOSPITALS, security);

    ControllerConfiguration config =
        new DefaultConfigurationFactoryFactory<ControllerConfiguration>()
            .create(
                ControllerConfiguration.class,
                Validators.newValidator(),
                Jackson.newObjectMapper(),
                "dw")
            .build(new FileConfigurationSourceProvider(), yaml.toString());

    CapacityPlanner.Settings plan = config.getCapacity().planSettings();
    assertThat(plan.rackModels())
        .extracting(m -> m.tier())
        .containsExactlyInAnyOrder("hot-nvme", "warm-hdd", "cold-archive");
    assertThat(plan.horizonDays()).isEqualTo(1095);
  }
}
