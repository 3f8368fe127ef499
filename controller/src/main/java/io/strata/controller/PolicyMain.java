package io.strata.controller;

import io.strata.policy.cli.PolicyCli;

/**
 * {@code strata policy validate|explain ...}. Kept out of Dropwizard's argument parser, whose
 * option syntax cannot carry {@code --metadata k=v} lists; the policy module owns the arguments.
 */
public final class PolicyMain {
  private PolicyMain() {}

  public static void main(String[] args) {
    System.exit(PolicyCli.run(args, System.out, System.err));
  }
}
