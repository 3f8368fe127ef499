package io.strata.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code strata ctl users|tokens|sessions ...}: the user API ({@code /api/v1/identities}, {@code
 * /api/v1/sessions}) for admins.
 *
 * <pre>
 * users                                         list
 * users set NAME [--roles R,R...] [--password-file FILE] [--disable | --enable]
 * users remove NAME
 * tokens                                        list
 * tokens new NAME ROLES [AGENT_ID]              prints the token once
 * tokens disable|enable|remove NAME
 * sessions                                      list
 * sessions end HASH
 * </pre>
 *
 * A password is read from a file (its first line; {@code /dev/stdin} will do), never from the
 * command line, where other users of the host could read it. Exit status as {@link OperatorCli}'s.
 */
final class IdentityCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IdentityCommands() {}

  static int run(String[] a, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String api = base + "/api/v1";
    return switch (a[0] + (a.length > 1 ? " " + a[1] : "")) {
      case "users" -> OperatorCli.call(out, err, token, "GET", api + "/identities/users", null);
      case "tokens" -> OperatorCli.call(out, err, token, "GET", api + "/identities/tokens", null);
      case "sessions" -> OperatorCli.call(out, err, token, "GET", api + "/sessions", null);
      case "users set" -> setUser(a, out, err, token, api);
      case "users remove" ->
          a.length == 3
              ? OperatorCli.call(
                  out,
                  err,
                  token,
                  "DELETE",
                  api + "/identities/users/" + OperatorCli.enc(a[2]),
                  null)
              : usage(err, "users remove needs: NAME");
      case "tokens new" -> newToken(a, out, err, token, api);
      case "tokens disable", "tokens enable" ->
          a.length == 3
              ? OperatorCli.call(
                  out,
                  err,
                  token,
                  "PUT",
                  api + "/identities/tokens/" + OperatorCli.enc(a[2]),
                  "{\"disabled\": " + a[1].equals("disable") + "}")
              : usage(err, "tokens " + a[1] + " needs: NAME");
      case "tokens remove" ->
          a.length == 3
              ? OperatorCli.call(
                  out,
                  err,
                  token,
                  "DELETE",
                  api + "/identities/tokens/" + OperatorCli.enc(a[2]),
                  null)
              : usage(err, "tokens remove needs: NAME");
      case "sessions end" ->
          a.length == 3
              ? OperatorCli.call(
                  out, err, token, "DELETE", api + "/sessions/" + OperatorCli.enc(a[2]), null)
              : usage(err, "sessions end needs: HASH");
      default -> usage(err, "unknown command '" + String.join(" ", a) + "'");
    };
  }

  private static int setUser(String[] a, PrintStream out, PrintStream err, String token, String api)
      throws IOException, InterruptedException {
    if (a.length < 3) {
      return usage(err, "users set needs: NAME");
    }
    ObjectNode body = JSON.createObjectNode();
    for (int i = 3; i < a.length; i++) {
      switch (a[i]) {
        case "--roles" -> {
          if (++i >= a.length) {
            return usage(err, "--roles needs a value");
          }
          ArrayNode roles = body.putArray("roles");
          for (String r : a[i].split(",")) {
            roles.add(r.trim());
          }
        }
        case "--password-file" -> {
          if (++i >= a.length) {
            return usage(err, "--password-file needs a value");
          }
          try {
            String first =
                Files.readString(Path.of(a[i]), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("");
            body.put("password", first);
          } catch (IOException e) {
            return usage(err, "cannot read the password file " + a[i] + ": " + e.getMessage());
          }
        }
        case "--disable" -> body.put("disabled", true);
        case "--enable" -> body.put("disabled", false);
        default -> {
          return usage(err, "users set does not take '" + a[i] + "'");
        }
      }
    }
    return OperatorCli.call(
        out,
        err,
        token,
        "PUT",
        api + "/identities/users/" + OperatorCli.enc(a[2]),
        JSON.writeValueAsString(body));
  }

  private static int newToken(
      String[] a, PrintStream out, PrintStream err, String token, String api)
      throws IOException, InterruptedException {
    if (a.length != 4 && a.length != 5) {
      return usage(err, "tokens new needs: NAME ROLES [AGENT_ID]");
    }
    ObjectNode body = JSON.createObjectNode().put("name", a[2]);
    ArrayNode roles = body.putArray("roles");
    for (String r : a[3].split(",")) {
      roles.add(r.trim());
    }
    if (a.length == 5) {
      body.put("agentId", a[4]);
    }
    return OperatorCli.call(
        out, err, token, "POST", api + "/identities/tokens", JSON.writeValueAsString(body));
  }

  private static int usage(PrintStream err, String problem) {
    err.println("strata ctl: " + problem);
    err.println(
        "usage: strata ctl users [set NAME [--roles R,R] [--password-file FILE] [--disable|--enable]"
            + " | remove NAME]\n"
            + "       strata ctl tokens [new NAME ROLES [AGENT_ID] | disable|enable|remove NAME]\n"
            + "       strata ctl sessions [end HASH]");
    return 2;
  }
}
