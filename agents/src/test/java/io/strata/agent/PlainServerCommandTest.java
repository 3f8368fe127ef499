package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.strata.runtime.PlainServerCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainServerCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AgentApplication application = new AgentApplication();
  private final Cli cli =
      new Cli(new JarLocation(getClass()), new Bootstrap<>(application), out, err);

  @Test
  void aConfigurationErrorIsPrintedAsWhatAndWhereAlone() {
    new PlainServerCommand<>(application)
        .onError(
            cli,
            null,
            new ConfigurationException(
                "agent.yml", List.of("pools[0].endpoint must be an http:// or https:// URL")) {
              private static final long serialVersionUID = 1L;
            });

    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("agent.yml has an error")
        .contains("pools[0].endpoint must be an http:// or https:// URL")
        .doesNotContain("\tat ");
  }

  @Test
  void aSecretTheConfigurationNamesThatCannotBeReadIsPrintedAloneAndStopsTheStart(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("agent.yml");
    Files.writeString(
        config,
        """
        agentId: a1
        node: n1
        controllerUrl: http://127.0.0.1:9
        controllerToken: "file:missing.token"
        credentialsDir: %s
        server: {type: simple, connector: {type: http, port: 0, bindHost: 127.0.0.1}}
        """
            .formatted(dir));
    Bootstrap<AgentConfiguration> bootstrap = new Bootstrap<>(application);
    application.addDefaultCommands(bootstrap);
    application.initialize(bootstrap);

    Optional<Throwable> failed =
        new Cli(new JarLocation(getClass()), bootstrap, out, err).run("server", config.toString());

    assertThat(failed).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot start: file:missing.token: cannot read " + dir.resolve("missing.token"))
        .doesNotContain("\tat ");
  }

  @Test
  void checkReadsTheSecretsTheConfigurationNamesAndNamesEachThatCannotBeRead(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("agent.token"), "a-token\n");
    Path config = dir.resolve("agent.yml");
    String yaml =
        """
        agentId: a1
        node: n1
        controllerUrl: http://127.0.0.1:9
        controllerToken: "file:%s"
        credentialsDir: %s
        pools:
          - {id: p1, endpoint: "http://127.0.0.1:9000", credentials: "file:p1.credentials"}
        """;
    Files.writeString(config, yaml.formatted("missing.token", dir));
    Bootstrap<AgentConfiguration> bootstrap = new Bootstrap<>(application);
    application.addDefaultCommands(bootstrap);
    application.initialize(bootstrap);
    Cli check = new Cli(new JarLocation(getClass()), bootstrap, out, err);

    assertThat(check.run("check", config.toString())).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("controllerToken: file:missing.token: cannot read")
        .contains("pools[p1]: credentials file:p1.credentials: cannot read")
        .doesNotContain("\tat ");

    Files.writeString(config, yaml.formatted("agent.token", dir));
    Files.writeString(dir.resolve("p1.credentials"), "accessKey=a\nsecretKey=b\n");
    assertThat(check.run("check", config.toString())).isEmpty();
  }

  @Test
  void checkRefusesAPatientIdKeyTooShortWithoutShowingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("patient-id.key"), "short-secret\n");
    Path config = dir.resolve("agent.yml");
    Files.writeString(
        config,
        """
        agentId: a1
        controllerUrl: http://127.0.0.1:9
        patientIdKey: "file:patient-id.key"
        credentialsDir: %s
        """
            .formatted(dir));
    Bootstrap<AgentConfiguration> bootstrap = new Bootstrap<>(application);
    application.addDefaultCommands(bootstrap);
    application.initialize(bootstrap);
    Cli check = new Cli(new JarLocation(getClass()), bootstrap, out, err);

    assertThat(check.run("check", config.toString())).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("patientIdKey: the patient-id key has 12 bytes; it needs at least 16")
        .doesNotContain("short-secret")
        .doesNotContain("\tat ");

    Files.writeString(dir.resolve("patient-id.key"), "a-key-of-thirty-two-bytes-000000\n");
    assertThat(check.run("check", config.toString())).isEmpty();
  }

  @Test
  void anyOtherFailureKeepsItsStackTrace() {
    new PlainServerCommand<>(application)
        .onError(cli, null, new IllegalStateException("port 8091 is taken"));

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("port 8091 is taken")
        .contains("\tat ");
  }
}
