package io.strata.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of this module as the tests read them: Grafana dashboards, Prometheus rule files, their
 * promtool tests, the waiting list and the README. Paths are relative to the module, where Maven
 * runs the tests.
 */
final class Sources {
  static final Path GRAFANA = Path.of("grafana");
  static final Path PROMETHEUS = Path.of("prometheus");
  static final Path README = Path.of("README.md");
  static final Path WAITING = Path.of("waiting-for-metrics.yml");

  /** What the live check puts for Grafana's own interval and range variables. */
  static final Map<String, String> GRAFANA_MACROS =
      Map.of("$__rate_interval", "1m", "$__interval", "15s", "$__range", "5m");

  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One query of one panel. */
  record PanelTarget(String dashboard, String panel, String refId, String expr) {
    String where() {
      return dashboard + " / " + panel + " / " + refId;
    }
  }

  /** One template variable; {@code query} is empty for the data-source variable. */
  record Variable(String dashboard, String name, String type, String query, String allValue) {}

  /** One recording or alert rule. */
  record Rule(String file, String group, String name, boolean alert, String expr) {
    String where() {
      return file + " / " + group + " / " + name;
    }
  }

  /** One entry of the waiting list: a panel ({@code dashboard}, {@code panel}) or a rule. */
  record Waiting(String dashboard, String panel, String rule, String metric, String from) {
    boolean covers(PanelTarget t) {
      return panel != null && dashboard.equals(t.dashboard()) && panel.equals(t.panel());
    }

    boolean covers(Rule r) {
      return rule != null && rule.equals(r.name());
    }

    @Override
    public String toString() {
      return (rule != null ? "rule " + rule : "panel " + dashboard + " / " + panel)
          + " waits for "
          + metric
          + " (from the "
          + from
          + ")";
    }
  }

  private Sources() {}

  static List<Path> dashboardFiles() {
    return list(GRAFANA, ".json");
  }

  static List<Path> ruleFiles() {
    return list(PROMETHEUS, ".yml").stream()
        .filter(p -> !p.getFileName().toString().endsWith(".test.yml"))
        .toList();
  }

  static List<Path> ruleTestFiles() {
    return list(PROMETHEUS, ".test.yml");
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every panel of every dashboard, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  static List<PanelTarget> panelTargets() {
    List<PanelTarget> out = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = json(file);
      for (JsonNode p : panels(d)) {
        for (JsonNode t : p.path("targets")) {
          out.add(
              new PanelTarget(
                  d.path("uid").asText(),
                  p.path("title").asText(),
                  t.path("refId").asText(),
                  t.path("expr").asText()));
        }
      }
    }
    return out;
  }

  static List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = json(file);
      for (JsonNode v : d.path("templating").path("list")) {
        JsonNode q = v.path("query");
        out.add(
            new Variable(
                d.path("uid").asText(),
                v.path("name").asText(),
                v.path("type").asText(),
                q.isObject() ? q.path("query").asText() : "",
                v.path("allValue").asText(null)));
      }
    }
    return out;
  }

  /**
   * The panel's expression as Prometheus gets it from Grafana with "All" selected: Grafana's macros
   * and the dashboard's variables replaced.
   *
   * @throws IllegalArgumentException when a variable is left over
   */
  static String substitute(PanelTarget target, List<Variable> variables) {
    String expr = target.expr();
    for (var macro : GRAFANA_MACROS.entrySet()) {
      expr = expr.replace(macro.getKey(), macro.getValue());
    }
    for (Variable v : variables) {
      if (v.dashboard().equals(target.dashboard()) && v.allValue() != null) {
        expr =
            expr.replace("${" + v.name() + "}", v.allValue())
                .replace("[[" + v.name() + "]]", v.allValue())
                .replaceAll("\\$" + v.name() + "\\b", v.allValue());
      }
    }
    if (expr.matches("(?s).*\\$\\{?[A-Za-z_].*")) {
      throw new IllegalArgumentException(
          target.where() + ": unknown variable left in '" + expr + "'");
    }
    return expr;
  }

  static List<Rule> rules() {
    List<Rule> out = new ArrayList<>();
    for (Path file : ruleFiles()) {
      for (JsonNode g : yaml(file).path("groups")) {
        for (JsonNode r : g.path("rules")) {
          boolean alert = r.has("alert");
          out.add(
              new Rule(
                  file.getFileName().toString(),
                  g.path("name").asText(),
                  alert ? r.path("alert").asText() : r.path("record").asText(),
                  alert,
                  r.path("expr").asText()));
        }
      }
    }
    return out;
  }

  static List<Waiting> waiting() {
    List<Waiting> out = new ArrayList<>();
    JsonNode root = yaml(WAITING);
    for (JsonNode w : root.path("panels")) {
      out.add(
          new Waiting(
              w.path("dashboard").asText(),
              w.path("panel").asText(),
              null,
              w.path("metric").asText(),
              w.path("from").asText()));
    }
    for (JsonNode w : root.path("rules")) {
      out.add(
          new Waiting(
              null,
              null,
              w.path("rule").asText(),
              w.path("metric").asText(),
              w.path("from").asText()));
    }
    return out;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
