package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.topology.ByteSize;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata ctl capacity plan [--horizon-days N] [--confidence C] [--onboard
 * DATASET:POLICY:PERDAY]... [--add-racks TIER@SITE=N]... [--policy NAME=FILE]... [--report
 * FILE.xlsx|FILE.pdf]}: the purchase plan as a table, as JSON, or as a report; the options are the
 * what-if the plan is asked under ({@code POST /api/v1/capacity/plan}).
 */
final class CapacityPlanCli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CapacityPlanCli() {}

  static int plan(
      String[] a, boolean json, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    Path report = null;
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals("--report")
          && !List.of("--horizon-days", "--confidence", "--onboard", "--add-racks", "--policy")
              .contains(a[i])) {
        return OperatorCli.usage(err, "capacity plan does not take '" + a[i] + "'");
      }
      if (i + 1 >= a.length) {
        return OperatorCli.usage(err, "capacity plan " + a[i] + " needs a value");
      }
      String value = a[++i];
      switch (a[i - 1]) {
        case "--report" -> report = Path.of(value);
        case "--policy" -> {
          int eq = value.indexOf('=');
          if (eq <= 0 || eq == value.length() - 1) {
            return OperatorCli.usage(
                err,
                "--policy: '" + value + "' is not NAME=FILE, such as imaging-archive=sooner.yaml");
          }
          Path file = Path.of(value.substring(eq + 1));
          if (!Files.isRegularFile(file)) {
            return OperatorCli.usage(err, "--policy: " + file + " is not a file");
          }
          ObjectNode policies =
              body.has("policies") ? (ObjectNode) body.get("policies") : body.putObject("policies");
          policies.put(value.substring(0, eq), Files.readString(file));
        }
        case "--horizon-days" -> {
          try {
            body.put("horizonDays", Integer.parseInt(value.trim()));
          } catch (NumberFormatException e) {
            return OperatorCli.usage(err, "--horizon-days: '" + value + "' is not a whole number");
          }
        }
        case "--confidence" -> {
          try {
            body.put("confidence", Double.parseDouble(value.trim()));
          } catch (NumberFormatException e) {
            return OperatorCli.usage(err, "--confidence: '" + value + "' is not a number");
          }
        }
        case "--onboard" -> {
          String[] parts = value.split(":", -1);
          if (parts.length != 3) {
            return OperatorCli.usage(
                err,
                "--onboard: '"
                    + value
                    + "' is not DATASET:POLICY:PERDAY, such as h9-imaging:imaging-archive:2TB");
          }
          ObjectNode o = array(body, "onboard").addObject();
          o.put("dataset", parts[0]).put("policy", parts[1]).put("perDay", parts[2]);
        }
        default -> {
          int at = value.indexOf('@');
          int eq = value.indexOf('=', Math.max(at, 0));
          int racks;
          try {
            racks = at > 0 && eq > at + 1 ? Integer.parseInt(value.substring(eq + 1).trim()) : -1;
          } catch (NumberFormatException e) {
            racks = -1;
          }
          if (racks < 0) {
            return OperatorCli.usage(
                err, "--add-racks: '" + value + "' is not TIER@SITE=N, such as hot-nvme@site-a=4");
          }
          array(body, "addRacks")
              .addObject()
              .put("tier", value.substring(0, at))
              .put("site", value.substring(at + 1, eq))
              .put("racks", racks);
        }
      }
    }
    if (report != null && json) {
      return OperatorCli.usage(err, "capacity plan takes one of --json and --report");
    }
    String text = JSON.writeValueAsString(body);
    if (report != null) {
      String name = report.getFileName().toString();
      String format = name.endsWith(".xlsx") ? "xlsx" : name.endsWith(".pdf") ? "pdf" : null;
      if (format == null) {
        return OperatorCli.usage(
            err, "capacity plan --report " + report + ": the file must end in .xlsx or .pdf");
      }
      return OperatorCli.download(
          out, err, token, "POST", base + "/api/v1/capacity/plan." + format, text, report);
    }
    String url = base + "/api/v1/capacity/plan";
    if (json) {
      return OperatorCli.call(out, err, token, "POST", url, text);
    }
    HttpResponse<String> response = OperatorCli.fetch(token, "POST", url, text);
    if (response.statusCode() != 200) {
      return OperatorCli.refused(err, response);
    }
    out.print(render(JSON.readTree(response.body())));
    return 0;
  }

  private static ArrayNode array(ObjectNode body, String field) {
    return body.has(field) ? (ArrayNode) body.get(field) : body.putArray(field);
  }

  /** The plan as {@code POST /api/v1/capacity/plan} answers it, as tables for a terminal. */
  static String render(JsonNode plan) {
    StringBuilder out = new StringBuilder();
    out.append("Plan from ")
        .append(plan.path("historyDays").asInt())
        .append(" days of history to ")
        .append(plan.path("today").asText())
        .append(", horizon ")
        .append(plan.path("horizonDays").asInt())
        .append(" days, confidence ")
        .append(plan.path("confidence").asText())
        .append('\n');
    for (JsonNode note : plan.path("notes")) {
      out.append("note: ").append(note.asText()).append('\n');
    }
    List<String> datasets = new ArrayList<>();
    plan.path("datasets").forEach(d -> datasets.add(d.asText()));
    if (!datasets.isEmpty()) {
      out.append("through their policies: ").append(String.join(", ", datasets)).append('\n');
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "TIER", "SITE", "USED", "LIMIT", "STANDS", "95% INTERVAL", "TREND", "METHOD"
        });
    for (JsonNode g : plan.path("groups")) {
      String status = g.path("status").asText();
      rows.add(
          new String[] {
            Columns.text(g.path("tier")),
            Columns.text(g.path("site")),
            ByteSize.format(g.path("usedBytes").asLong()),
            ByteSize.format(g.path("limitBytes").asLong()),
            switch (status) {
              case "no-capacity" -> "no usable capacity (" + g.path("reason").asText() + ")";
              case "fills" -> "full on " + g.path("fullOn").asText();
              default -> status;
            },
            g.path("fullOn95").path(0).isNull()
                ? "-"
                : g.path("fullOn95").path(0).asText()
                    + ".."
                    + (g.path("fullOn95").path(1).isNull()
                        ? "later"
                        : g.path("fullOn95").path(1).asText()),
            Columns.text(g.path("trendFullOn")),
            Columns.text(g.path("method"))
          });
    }
    out.append(Columns.align(rows));
    JsonNode orders = plan.path("plan").path("orders");
    if (orders.isEmpty()) {
      out.append("No rack to order within the horizon.\n");
    } else {
      List<String[]> table = new ArrayList<>();
      table.add(new String[] {"ORDER BY", "NEEDED BY", "TIER", "SITE", "MODEL", "RACKS", "COST"});
      for (JsonNode o : orders) {
        table.add(
            new String[] {
              o.path("orderBy").asText() + (o.path("late").asBoolean() ? " (late)" : ""),
              o.path("neededBy").asText(),
              Columns.text(o.path("tier")),
              Columns.text(o.path("site")),
              Columns.text(o.path("model")),
              o.path("racks").asText(),
              String.format(java.util.Locale.ROOT, "%,.0f", o.path("cost").asDouble())
            });
      }
      out.append(Columns.align(table));
    }
    plan.path("plan")
        .path("costByQuarter")
        .fields()
        .forEachRemaining(
            q ->
                out.append(q.getKey())
                    .append(": ")
                    .append(String.format(java.util.Locale.ROOT, "%,.0f", q.getValue().asDouble()))
                    .append('\n'));
    for (JsonNode u : plan.path("plan").path("unplanned")) {
      out.append("not planned: ")
          .append(u.path("tier").asText())
          .append('@')
          .append(Columns.text(u.path("site")))
          .append(": ")
          .append(u.path("reason").asText())
          .append('\n');
    }
    return out.toString();
  }
}
