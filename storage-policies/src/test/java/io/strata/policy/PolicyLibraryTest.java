package io.strata.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.parse.PolicyError;
import io.strata.topology.DemoTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyLibraryTest {
  @Test
  void everyBundledPolicyValidatesAgainstTheDemoTopology() {
    var result = PolicyLibrary.load(DemoTopology.map());
    assertThat(result.errors()).extracting(PolicyError::toString).isEmpty();
    assertThat(result.policies()).hasSize(PolicyLibrary.NAMES.size());
  }

  @Test
  void theListOfNamesMatchesThePoliciesFolder() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("policies"))) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml"))
                  .map(n -> n.substring(0, n.length() - ".yaml".length())))
          .containsExactlyInAnyOrderElementsOf(PolicyLibrary.NAMES);
    }
  }

  @Test
  void theJarCopyOfEachPolicyIsTheFolderCopy() throws IOException {
    for (String name : PolicyLibrary.NAMES) {
      assertThat(PolicyLibrary.source(name).orElseThrow().text())
          .isEqualTo(Files.readString(Path.of("policies", name + ".yaml")));
    }
  }

  @Test
  void anUnknownNameFindsNothing() {
    assertThat(PolicyLibrary.source("no-such-policy")).isEmpty();
  }
}
