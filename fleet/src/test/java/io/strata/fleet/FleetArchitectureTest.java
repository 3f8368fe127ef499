package io.strata.fleet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The fleet core is pure: decisions from maps, listings and a clock passed in. What would make it
 * do I/O of its own, or tie it to one adapter, fails the build here, whatever the pom allows.
 */
@AnalyzeClasses(packages = "io.strata.fleet", importOptions = ImportOption.DoNotIncludeTests.class)
class FleetArchitectureTest {

  @ArchTest
  static final ArchRule noAdapterLibraries =
      noClasses()
          .that()
          .resideInAPackage("io.strata.fleet..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.curator..",
              "org.apache.zookeeper..",
              "io.minio..",
              "okhttp3..",
              "jakarta.ws.rs..",
              "jakarta.servlet..",
              "org.glassfish.jersey..",
              "io.dropwizard..",
              "org.eclipse.jetty..",
              "io.fabric8..",
              "io.prometheus..")
          .because("ZooKeeper, S3, HTTP, Kubernetes and metrics belong to the adapters");

  @ArchTest
  static final ArchRule noNetwork =
      noClasses()
          .that()
          .resideInAPackage("io.strata.fleet..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.net..")
          .because("the fleet core is handed what it needs; it reaches no network");

  @ArchTest
  static final ArchRule noOtherStrataModuleButItsInputs =
      noClasses()
          .that()
          .resideInAPackage("io.strata.fleet..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.strata.controller..", "io.strata.agent..", "io.strata.runtime..")
          .because("the fleet core depends only on topology, storage policies and the protocol");
}
