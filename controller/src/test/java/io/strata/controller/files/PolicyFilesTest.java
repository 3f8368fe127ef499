package io.strata.controller.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.OnePoolTopology;
import io.strata.controller.reconcile.ReconcileFactory;
import io.strata.fleet.datasets.Dataset;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyLoader;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files read again when they change, without a restart, and only when they can be used. */
class PolicyFilesTest {
  private static final List<Dataset> DATASETS =
      List.of(new Dataset("h01-imaging", "", null, List.of(), false));

  @TempDir Path dir;
  private Path file;
  private final AtomicReference<ClusterMap> map = new AtomicReference<>(OnePoolTopology.map());
  private final List<FileChange> changes = new ArrayList<>();

  @BeforeEach
  void write() throws Exception {
    file = dir.resolve("imaging.yaml");
    Files.writeString(file, policy("imaging-v1", "1 × hot spread node"));
  }

  private static String policy(String name, String phase) {
    return """
        policy: %s
        datasets: [h01-imaging]
        recordClass: none
        phases: {0d: %s}
        retention: {minimum: 0d}
        """
        .formatted(name, phase);
  }

  /** Reads the file as a replica does at start. */
  private PolicyFiles start() {
    return start(List.of(file));
  }

  /**
   * Reads the file as a replica does at start, and watches {@code watched}: the file, or nothing
   * for policies that are bundled.
   */
  private PolicyFiles start(List<Path> watched) {
    PolicyLoader.Read read = PolicyLoader.readFiles(List.of(file));
    PolicySet first = PolicySet.of(PolicyLoader.load(read, map.get()).orThrow());
    return new PolicyFiles(
        watched,
        first,
        read.sources(),
        DATASETS,
        new ReconcileFactory().settings(),
        map::get,
        Clock.systemUTC(),
        changes::add);
  }

  private static List<String> names(PolicyFiles files) {
    return files.get().policies().stream().map(StoragePolicy::name).toList();
  }

  @Test
  void anEditIsPlannedByOnceTheFileHasStayedTheSameForALook() throws Exception {
    PolicyFiles files = start();
    String before = files.inForce().sha256();
    files.check();
    assertThat(names(files)).containsExactly("imaging-v1");
    assertThat(changes).as("nothing changed").isEmpty();

    Files.writeString(file, policy("imaging-v2", "1 × hot spread node"));
    files.check();
    assertThat(names(files))
        .as("seen changed once: maybe half written")
        .containsExactly("imaging-v1");
    files.check();

    assertThat(names(files)).containsExactly("imaging-v2");
    assertThat(files.inForce().sha256()).isNotEqualTo(before);
    assertThat(files.refused()).isNull();
    assertThat(changes)
        .containsExactly(new FileChange("policies", List.of(file), files.inForce().sha256(), true));

    Files.writeString(file, policy("imaging-v1", "1 × hot spread node"));
    files.check();
    files.check();
    assertThat(files.inForce().sha256()).as("the digest follows the texts").isEqualTo(before);
  }

  @Test
  void anEditThatCannotBeUsedLeavesThePoliciesInForceAndSaysWhereItIsWrong() throws Exception {
    PolicyFiles files = start();
    String before = files.inForce().sha256();

    Files.writeString(file, policy("imaging-v2", "1 × warm spread node"));
    files.check();
    files.check();

    assertThat(names(files)).containsExactly("imaging-v1");
    assertThat(files.inForce().sha256()).isEqualTo(before);
    assertThat(files.refused()).isNotNull();
    assertThat(files.refused().problems())
        .singleElement()
        .asString()
        .startsWith(file + ":4:")
        .contains("warm");
    assertThat(changes).singleElement().extracting(FileChange::taken).isEqualTo(false);
    files.check();
    assertThat(changes).as("refused once, not at every look").hasSize(1);

    Files.writeString(file, policy("imaging-v3", "1 × hot spread node"));
    files.check();
    files.check();
    assertThat(names(files)).containsExactly("imaging-v3");
    assertThat(files.refused()).as("usable again").isNull();
  }

  @Test
  void aFileCaughtHalfWrittenIsNotTaken() throws Exception {
    PolicyFiles files = start();

    // An editor that truncates the file, then writes it: one look falls in between.
    Files.writeString(file, "");
    files.check();
    Files.writeString(file, policy("imaging-v2", "1 × hot spread node"));
    files.check();
    assertThat(names(files)).containsExactly("imaging-v1");
    assertThat(files.refused()).isNull();
    files.check();

    assertThat(names(files)).containsExactly("imaging-v2");
    assertThat(changes).as("the empty file was never loaded").hasSize(1);
  }

  @Test
  void aFileThatIsGoneLeavesThePoliciesInForce() throws Exception {
    PolicyFiles files = start();

    Files.delete(file);
    files.check();
    files.check();

    assertThat(names(files)).containsExactly("imaging-v1");
    assertThat(files.refused().problems()).singleElement().asString().contains("cannot be read");
  }

  @Test
  void aChangeIsCheckedAgainstTheClusterMapAsItIsNow() throws Exception {
    PolicyFiles files = start();

    // Two copies on nodes of their own: the one-pool map cannot place them.
    Files.writeString(file, policy("imaging-v2", "2 × hot spread node"));
    files.check();
    files.check();

    assertThat(names(files)).containsExactly("imaging-v1");
    assertThat(files.refused().problems()).isNotEmpty();

    // A second node joins: two copies can be placed now.
    map.set(
        TopologyFile.parse(
            "topology.yaml",
            OnePoolTopology.TEXT
                .replace(
                    "  - {id: node-1, level: node, parent: rack-1}\n",
                    "  - {id: node-1, level: node, parent: rack-1}\n"
                        + "  - {id: node-2, level: node, parent: rack-1}\n")
                .concat(
                    "  - {id: pool-2, domain: node-2, tier: hot, endpoint: \"http://127.0.0.1:9001\","
                        + " capacity: 1TiB, credentials: \"file:pool-2\"}\n")));
    Files.writeString(file, policy("imaging-v3", "2 × hot spread node"));
    files.check();
    files.check();
    assertThat(names(files)).containsExactly("imaging-v3");
  }

  @Test
  void bundledPoliciesAreNeverLookedAt() throws Exception {
    PolicyFiles bundled = start(List.of());
    Files.writeString(file, policy("imaging-v2", "1 × hot spread node"));
    bundled.check();
    bundled.check();

    assertThat(names(bundled)).containsExactly("imaging-v1");
    assertThat(changes).isEmpty();
  }
}
