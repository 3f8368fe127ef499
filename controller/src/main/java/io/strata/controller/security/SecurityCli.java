package io.strata.controller.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code strata security}: makes the entries of the users and tokens files, so that no plain secret
 * ever needs to be written into them.
 *
 * <pre>
 * strata security hash-password NAME ROLE[,ROLE...]        password on standard input
 * strata security new-token NAME ROLE[,ROLE...] [AGENT_ID]
 * </pre>
 *
 * {@code hash-password} prints the {@code users.yml} entry with a bcrypt hash, once the password
 * keeps {@link PasswordRules}. {@code new-token} prints a new random token once (give it to its
 * client, e.g. in a mode-600 file) and the {@code tokens.yml} entry with its SHA-256. Exit status
 * 0, or 2 on a usage error.
 */
public final class SecurityCli {
  private static final String USAGE =
      "usage: strata security hash-password NAME ROLES < password\n"
          + "       strata security new-token NAME ROLES [AGENT_ID]\n"
          + "ROLES: comma-separated, of "
          + String.join(", ", Roles.ALL);

  private SecurityCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    try {
      if (args.length == 3 && args[0].equals("hash-password")) {
        String roles = roles(args[2]);
        String password;
        if (System.console() != null && in == System.in) {
          char[] typed = System.console().readPassword("password for %s: ", args[1]);
          password = typed == null ? "" : new String(typed);
        } else {
          password =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        }
        List<String> problems = PasswordRules.problems(args[1], password);
        if (!problems.isEmpty()) {
          problems.forEach(p -> err.println("strata security: " + p));
          return 2;
        }
        out.printf(
            "  - {name: %s, passwordHash: \"%s\", roles: [%s]}%n",
            args[1], Hashes.bcrypt(password), roles);
        return 0;
      }
      if ((args.length == 3 || args.length == 4) && args[0].equals("new-token")) {
        String roles = roles(args[2]);
        boolean agent = roles.contains(Roles.AGENT);
        if (agent != (args.length == 4)) {
          err.println("strata security: an agent token needs an AGENT_ID, and only it\n" + USAGE);
          return 2;
        }
        String token = Hashes.randomToken();
        out.println("token (shown once): " + token);
        out.printf(
            "tokens.yml entry:   - {name: %s, sha256: %s, roles: [%s]%s}%n",
            args[1], Hashes.sha256(token), roles, agent ? ", agentId: " + args[3] : "");
        return 0;
      }
    } catch (IllegalArgumentException | IOException e) {
      err.println("strata security: " + e.getMessage());
      return 2;
    }
    err.println(USAGE);
    return 2;
  }

  private static String roles(String list) {
    StringBuilder sb = new StringBuilder();
    for (String role : list.split(",")) {
      sb.append(sb.length() == 0 ? "" : ", ").append(Roles.check(role.trim(), "ROLES"));
    }
    return sb.toString();
  }
}
