package io.strata.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code strata ctl recall ...}: the recall API ({@code /api/v1/recalls}).
 *
 * <pre>
 * recall study UID --by DEADLINE [--dataset NAME]
 * recall patient HASH --by DEADLINE [--dataset NAME]
 * recall prefix DATASET PREFIX --by DEADLINE
 * recall status [ID]                      every recall, or one, with its progress and ETA
 * </pre>
 *
 * DEADLINE is an ISO-8601 instant ({@code 2026-06-02T08:00:00Z}). Exit status as {@link
 * OperatorCli}'s.
 */
final class RecallCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecallCommands() {}

  static int run(String[] a, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String api = base + "/api/v1/recalls";
    if (a.length < 2) {
      return OperatorCli.usage(err, "recall needs: study|patient|prefix ... or status [ID]");
    }
    if (a[1].equals("status")) {
      return switch (a.length) {
        case 2 -> OperatorCli.call(out, err, token, "GET", api, null);
        case 3 -> OperatorCli.call(out, err, token, "GET", api + "/" + OperatorCli.enc(a[2]), null);
        default -> OperatorCli.usage(err, "recall status takes at most an ID");
      };
    }
    ObjectNode body = JSON.createObjectNode();
    int next;
    switch (a[1]) {
      case "study", "patient" -> {
        if (a.length < 3) {
          return OperatorCli.usage(
              err, "recall " + a[1] + " needs: " + a[1].toUpperCase() + " --by DEADLINE");
        }
        body.put(a[1], a[2]);
        next = 3;
      }
      case "prefix" -> {
        if (a.length < 4) {
          return OperatorCli.usage(err, "recall prefix needs: DATASET PREFIX --by DEADLINE");
        }
        body.put("dataset", a[2]);
        body.put("prefix", a[3]);
        next = 4;
      }
      default -> {
        return OperatorCli.usage(
            err, "recall takes study, patient, prefix or status, not '" + a[1] + "'");
      }
    }
    for (int i = next; i < a.length; i++) {
      String option = a[i];
      if (!(option.equals("--by") || (option.equals("--dataset") && !a[1].equals("prefix")))) {
        return OperatorCli.usage(err, "recall " + a[1] + " does not take '" + option + "'");
      }
      if (i + 1 >= a.length) {
        return OperatorCli.usage(err, "recall " + option + " needs a value");
      }
      String value = a[++i];
      if (option.equals("--by")) {
        try {
          Instant.parse(value);
        } catch (DateTimeParseException e) {
          return OperatorCli.usage(
              err, "--by '" + value + "' is not an ISO-8601 instant such as 2026-06-02T08:00:00Z");
        }
        body.put("deadline", value);
      } else {
        body.put("dataset", value);
      }
    }
    if (!body.has("deadline")) {
      return OperatorCli.usage(err, "recall " + a[1] + " needs --by DEADLINE");
    }
    return OperatorCli.call(out, err, token, "POST", api, JSON.writeValueAsString(body));
  }
}
