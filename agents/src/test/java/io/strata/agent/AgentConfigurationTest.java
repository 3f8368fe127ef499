package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad agent configuration stops start-up with a message that names the file and the key. */
class AgentConfigurationTest {
  @TempDir Path dir;

  private AgentConfiguration load(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    // The same factory the application's bootstrap uses, so the test sees what start-up sees.
    return new DefaultConfigurationFactoryFactory<AgentConfiguration>()
        .create(
            AgentConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new FileConfigurationSourceProvider(), file.toString());
  }

  @Test
  void negativeIntervalIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load("a.yml", "heartbeatInterval: -5s\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a.yml")
        .hasMessageContaining("heartbeatInterval");
  }

  @Test
  void anAgentConfigurationTakesValuesFromTheEnvironment() throws Exception {
    // Through the agent's own bootstrap: one file serves every node of a DaemonSet.
    var bootstrap = new Bootstrap<>(new AgentApplication());
    bootstrap.getApplication().initialize(bootstrap);
    Path file = dir.resolve("agent.yml");
    Files.writeString(
        file,
        "agentId: \"node-${STRATA_TEST_NEVER_SET:-7}\"\nnode: \"${STRATA_TEST_NEVER_SET:-n7}\"\n");

    AgentConfiguration config =
        bootstrap
            .getConfigurationFactoryFactory()
            .create(
                AgentConfiguration.class,
                bootstrap.getValidatorFactory().getValidator(),
                bootstrap.getObjectMapper(),
                "dw")
            .build(bootstrap.getConfigurationSourceProvider(), file.toString());

    assertThat(config.getAgentId()).isEqualTo("node-7");
    assertThat(config.getNode()).isEqualTo("n7");
  }

  @Test
  void defaultsAreValid() throws Exception {
    AgentConfiguration agent = load("a.yml", "{}\n");
    assertThat(agent.getHeartbeatInterval().toSeconds()).isEqualTo(10);
  }
}
