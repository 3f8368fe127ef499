package io.strata.controller;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.strata.agent.AgentApplication;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code strata agent agent.yml}: runs a node agent. */
public class AgentCommand extends Command {
  public AgentCommand() {
    super("agent", "Runs a node agent with the given configuration file");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("file").nargs("?").help("agent configuration file (YAML)");
    subparser
        .addArgument("--check")
        .action(Arguments.storeTrue())
        .help("only check the configuration");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(Boolean.TRUE.equals(namespace.getBoolean("check")) ? "check" : "server");
    if (namespace.getString("file") != null) {
      args.add(namespace.getString("file"));
    }
    new AgentApplication().run(args.toArray(String[]::new));
  }
}
