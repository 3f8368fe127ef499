package io.strata.controller;

import io.strata.controller.datasets.DatasetFactory;
import io.strata.fleet.datasets.Dataset;
import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a replica plans by as it starts (and what {@code check} reads).
 *
 * @param seed the topology file's map, which seeds an empty ensemble
 * @param datasets the datasets it keeps
 * @param policies the policies in force, validated against {@code seed}
 * @param sources the texts {@code policies} were loaded from
 */
public record Plan(
    ClusterMap seed, List<Dataset> datasets, PolicySet policies, List<PolicySource> sources) {
  static Plan read(ControllerConfiguration config) throws TopologyConfigurationException {
    ClusterMap seed = loadTopology(config.getTopologyFile());
    List<Dataset> datasets = config.getDatasets().stream().map(DatasetFactory::toDataset).toList();
    PolicyLoader.Read sources = policySources(config.getReconcile().getPolicyFiles(), datasets);
    return new Plan(seed, datasets, loadPolicies(sources, seed), sources.sources());
  }

  /**
   * The texts of the policies in force: the given files, or else the bundled policies that the
   * datasets name.
   *
   * @throws TopologyConfigurationException naming a dataset's policy that is not bundled
   */
  static PolicyLoader.Read policySources(List<String> files, List<Dataset> datasets)
      throws TopologyConfigurationException {
    if (!files.isEmpty()) {
      return PolicyLoader.readFiles(files.stream().map(Path::of).toList());
    }
    List<String> problems = new ArrayList<>();
    List<PolicySource> sources = new ArrayList<>();
    for (String name :
        new TreeSet<>(datasets.stream().map(Dataset::policy).filter(Objects::nonNull).toList())) {
      PolicyLibrary.source(name)
          .ifPresentOrElse(
              sources::add,
              () ->
                  problems.add(
                      "datasets: policy '"
                          + name
                          + "' is not bundled; bundled: "
                          + PolicyLibrary.NAMES
                          + " (or list files in reconcile.policyFiles)"));
    }
    if (!problems.isEmpty()) {
      throw new TopologyConfigurationException("datasets", problems);
    }
    return new PolicyLoader.Read(sources, List.of());
  }

  /** The policies in force, each validated against the map. */
  static PolicySet loadPolicies(PolicyLoader.Read sources, ClusterMap map)
      throws TopologyConfigurationException {
    PolicyLoadResult result = PolicyLoader.load(sources, map);
    if (!result.isValid()) {
      throw new TopologyConfigurationException(
          "reconcile.policyFiles", result.errors().stream().map(Object::toString).toList());
    }
    return PolicySet.of(result.policies());
  }

  public static ClusterMap loadTopology(String file) throws TopologyConfigurationException {
    Path path = Path.of(file);
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new TopologyConfigurationException(
          file,
          List.of(
              "topologyFile: cannot read "
                  + path.toAbsolutePath()
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")"));
    }
    try {
      return TopologyFile.parse(file, text);
    } catch (TopologyException e) {
      throw new TopologyConfigurationException(file, e.problems());
    }
  }
}
