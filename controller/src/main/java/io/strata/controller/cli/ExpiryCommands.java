package io.strata.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code strata ctl expiry ...} and {@code strata ctl hold ...}: the expiry API ({@code
 * /api/v1/expiries}) and the legal holds ({@code /api/v1/holds}).
 *
 * <pre>
 * expiry                                  what is due, what is approved, the certificates
 * expiry approve DATASET POLICY --reason TEXT [--cutoff INSTANT]
 * expiry certificate ID                   a destruction certificate as it was kept
 * hold                                    the legal holds standing
 * hold study UID --reason TEXT [--dataset NAME]
 * hold patient HASH --reason TEXT [--dataset NAME]
 * hold prefix DATASET PREFIX --reason TEXT
 * hold dataset DATASET --reason TEXT
 * hold lift ID
 * </pre>
 *
 * Exit status as {@link OperatorCli}'s.
 */
final class ExpiryCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExpiryCommands() {}

  static int expiry(String[] a, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String api = base + "/api/v1/expiries";
    if (a.length == 1) {
      return OperatorCli.call(out, err, token, "GET", api, null);
    }
    switch (a[1]) {
      case "certificate" -> {
        return a.length == 3
            ? OperatorCli.call(
                out, err, token, "GET", api + "/certificates/" + OperatorCli.enc(a[2]), null)
            : OperatorCli.usage(err, "expiry certificate needs: ID");
      }
      case "approve" -> {
        if (a.length < 4) {
          return OperatorCli.usage(
              err, "expiry approve needs: DATASET POLICY --reason TEXT [--cutoff INSTANT]");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("dataset", a[2]);
        body.put("policy", a[3]);
        Integer bad = options(a, 4, body, err, "expiry approve", "--reason", "--cutoff");
        if (bad != null) {
          return bad;
        }
        if (!body.has("reason")) {
          return OperatorCli.usage(err, "expiry approve needs --reason TEXT");
        }
        return OperatorCli.call(out, err, token, "POST", api, JSON.writeValueAsString(body));
      }
      default -> {
        return OperatorCli.usage(
            err, "expiry takes approve or certificate, or nothing, not '" + a[1] + "'");
      }
    }
  }

  static int hold(String[] a, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String api = base + "/api/v1/holds";
    if (a.length == 1) {
      return OperatorCli.call(out, err, token, "GET", api, null);
    }
    ObjectNode body = JSON.createObjectNode();
    int next;
    switch (a[1]) {
      case "lift" -> {
        return a.length == 3
            ? OperatorCli.call(out, err, token, "DELETE", api + "/" + OperatorCli.enc(a[2]), null)
            : OperatorCli.usage(err, "hold lift needs: ID");
      }
      case "study", "patient", "dataset" -> {
        if (a.length < 3) {
          return OperatorCli.usage(
              err, "hold " + a[1] + " needs: " + a[1].toUpperCase() + " --reason TEXT");
        }
        body.put(a[1], a[2]);
        next = 3;
      }
      case "prefix" -> {
        if (a.length < 4) {
          return OperatorCli.usage(err, "hold prefix needs: DATASET PREFIX --reason TEXT");
        }
        body.put("dataset", a[2]);
        body.put("prefix", a[3]);
        next = 4;
      }
      default -> {
        return OperatorCli.usage(
            err, "hold takes study, patient, prefix, dataset or lift, not '" + a[1] + "'");
      }
    }
    boolean datasetOption = a[1].equals("study") || a[1].equals("patient");
    Integer bad =
        datasetOption
            ? options(a, next, body, err, "hold " + a[1], "--reason", "--dataset")
            : options(a, next, body, err, "hold " + a[1], "--reason");
    if (bad != null) {
      return bad;
    }
    if (!body.has("reason")) {
      return OperatorCli.usage(err, "hold " + a[1] + " needs --reason TEXT");
    }
    return OperatorCli.call(out, err, token, "POST", api, JSON.writeValueAsString(body));
  }

  /**
   * Reads {@code --name value} options from {@code a[from]} on into {@code body} (as {@code name}),
   * taking only {@code allowed}; null when they read, else the usage error's exit status.
   */
  private static Integer options(
      String[] a, int from, ObjectNode body, PrintStream err, String command, String... allowed) {
    for (int i = from; i < a.length; i++) {
      String option = a[i];
      if (!java.util.List.of(allowed).contains(option)) {
        return OperatorCli.usage(err, command + " does not take '" + option + "'");
      }
      if (i + 1 >= a.length) {
        return OperatorCli.usage(err, command + " " + option + " needs a value");
      }
      String value = a[++i];
      if (option.equals("--cutoff")) {
        try {
          Instant.parse(value);
        } catch (DateTimeParseException e) {
          return OperatorCli.usage(
              err,
              "--cutoff '" + value + "' is not an ISO-8601 instant such as 2026-06-01T00:00:00Z");
        }
      }
      body.put(option.substring(2), value);
    }
    return null;
  }
}
