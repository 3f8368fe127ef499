package io.strata.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.agent.AgentMetrics;
import io.strata.agent.dicom.DicomMetrics;
import io.strata.agent.mover.MoverMetrics;
import io.strata.controller.ControllerMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dashboards are importable Grafana JSON, use only metrics that are declared or recorded, and
 * every name is documented; the waiting list is exactly the panels and rules over reserved names.
 */
class DashboardsTest {
  private static final String DATASOURCE = "${datasource}";
  private static final Set<String> DASHBOARDS =
      Set.of(
          "strata-fleet",
          "strata-capacity",
          "strata-replication",
          "strata-movement",
          "strata-agents",
          "strata-controller");

  /** Metrics from Prometheus itself and from the JVM instrumentation of both programs. */
  private static boolean standard(String name) {
    return Set.of("up", "scrape_duration_seconds").contains(name)
        || name.startsWith("jvm_")
        || name.startsWith("process_");
  }

  static Set<String> declaredNames() {
    Set<String> names = new TreeSet<>();
    for (Class<?> c :
        List.of(
            ControllerMetrics.class, AgentMetrics.class, MoverMetrics.class, DicomMetrics.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          try {
            names.add((String) f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return names;
  }

  static Set<String> reservedNames() {
    Set<String> names = new TreeSet<>();
    ControllerMetrics.RESERVED.forEach(r -> names.add(r.name()));
    return names;
  }

  /** Names as they appear in PromQL: counters with _total, histograms with their series. */
  static Set<String> queryableNames() {
    Set<String> names = new HashSet<>();
    for (String n : declaredNames()) {
      names.add(n);
      names.add(n + "_total");
    }
    for (ControllerMetrics.Reserved r : ControllerMetrics.DECLARED) {
      names.add(r.name());
      if (r.type().equals("histogram")) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
          names.add(r.name() + suffix);
        }
      }
    }
    Sources.rules().stream().filter(r -> !r.alert()).forEach(r -> names.add(r.name()));
    return names;
  }

  /** The reserved names an expression uses, histogram series mapped to their metric. */
  static Set<String> reservedIn(String expr) {
    Set<String> out = new LinkedHashSet<>();
    for (String selector : PromQl.selectors(expr)) {
      String name = PromQl.metricName(selector).replaceAll("_(bucket|count|sum)$", "");
      String full = PromQl.metricName(selector);
      for (String reserved : reservedNames()) {
        if (reserved.equals(full) || reserved.equals(name)) {
          out.add(reserved);
        }
      }
    }
    return out;
  }

  @Test
  void everyDashboardIsImportableGrafanaJsonOverTheDatasourceVariable() {
    List<String> problems = new ArrayList<>();
    Set<String> uids = new HashSet<>();
    for (Path file : Sources.dashboardFiles()) {
      JsonNode d = Sources.json(file);
      String uid = d.path("uid").asText();
      String at = file.getFileName() + " (" + uid + ")";
      if (!uids.add(uid)) {
        problems.add(at + ": uid used twice");
      }
      if (d.path("schemaVersion").asInt() != 39) {
        problems.add(at + ": schemaVersion is not 39");
      }
      if (d.path("title").asText().isBlank() || !d.path("id").isNull()) {
        problems.add(at + ": needs a title and a null id to import");
      }
      JsonNode ds = d.path("templating").path("list").path(0);
      if (!ds.path("name").asText().equals("datasource")
          || !ds.path("type").asText().equals("datasource")
          || !ds.path("query").asText().equals("prometheus")) {
        problems.add(at + ": the first variable must be the Prometheus data source 'datasource'");
      }
      Set<Integer> ids = new HashSet<>();
      Set<String> titles = new HashSet<>();
      for (JsonNode p : Sources.panels(d)) {
        String title = p.path("title").asText();
        String pat = at + " / " + title;
        if (!ids.add(p.path("id").asInt(-1)) || p.path("id").asInt(-1) < 1) {
          problems.add(pat + ": panel id missing or used twice");
        }
        JsonNode grid = p.path("gridPos");
        if (grid.path("w").asInt() < 1 || grid.path("h").asInt() < 1) {
          problems.add(pat + ": no gridPos");
        }
        if (p.path("type").asText().equals("row")) {
          continue;
        }
        if (!titles.add(title)) {
          problems.add(pat + ": title used twice in the dashboard");
        }
        if (p.path("description").asText().isBlank()) {
          problems.add(pat + ": no description");
        }
        if (!p.path("datasource").path("uid").asText().equals(DATASOURCE)) {
          problems.add(pat + ": data source is not " + DATASOURCE);
        }
        if (p.path("targets").isEmpty()) {
          problems.add(pat + ": no query");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          if (!refIds.add(t.path("refId").asText()) || t.path("expr").asText().isBlank()) {
            problems.add(pat + ": a query lacks a unique refId or an expr");
          }
          if (!t.path("datasource").path("uid").asText().equals(DATASOURCE)) {
            problems.add(
                pat + " / " + t.path("refId").asText() + ": data source not " + DATASOURCE);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(uids).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
  }

  @Test
  void everyQueryVariableOffersAllWithAMatchAllValue() {
    for (Sources.Variable v : Sources.variables()) {
      if (v.type().equals("query")) {
        assertThat(v.allValue()).as(v.dashboard() + " $" + v.name()).isEqualTo(".*");
        assertThat(v.query()).as(v.dashboard() + " $" + v.name()).startsWith("label_values(");
      }
    }
  }

  @Test
  void everyMetricQueriedIsDeclaredRecordedOrStandard() {
    Set<String> known = queryableNames();
    List<String> problems = new ArrayList<>();
    for (Sources.PanelTarget t : Sources.panelTargets()) {
      for (String s : PromQl.selectors(t.expr())) {
        String name = PromQl.metricName(s);
        if (!known.contains(name) && !standard(name)) {
          problems.add(t.where() + ": unknown metric " + name);
        }
      }
    }
    for (Sources.Rule r : Sources.rules()) {
      for (String s : PromQl.selectors(r.expr())) {
        String name = PromQl.metricName(s);
        if (!known.contains(name) && !standard(name)) {
          problems.add(r.where() + ": unknown metric " + name);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyMetricRuleAndDashboardIsDocumentedInTheReadme() {
    String readme = Sources.text(Sources.README);
    List<String> undocumented = new ArrayList<>();
    Set<String> names = new TreeSet<>(declaredNames());
    ControllerMetrics.DECLARED.forEach(r -> names.add(r.name()));
    Sources.rules().forEach(r -> names.add(r.name()));
    for (String n : names) {
      String shown = n.equals(AgentMetrics.HEARTBEATS) ? n + "_total" : n;
      if (!readme.contains("`" + shown + "`")) {
        undocumented.add(shown);
      }
    }
    for (Path file : Sources.dashboardFiles()) {
      JsonNode d = Sources.json(file);
      if (!readme.contains(d.path("title").asText()) || !readme.contains(file.toString())) {
        undocumented.add(file.toString());
      }
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void theWaitingListIsExactlyThePanelsAndRulesOverReservedNames() {
    List<Sources.Waiting> waiting = Sources.waiting();
    List<String> problems = new ArrayList<>();
    for (Sources.Waiting w : waiting) {
      if (!reservedNames().contains(w.metric())) {
        problems.add(w + ": " + w.metric() + " is not a reserved name in ControllerMetrics");
      }
      boolean found = false;
      for (Sources.PanelTarget t : Sources.panelTargets()) {
        found |= w.covers(t) && reservedIn(t.expr()).contains(w.metric());
      }
      for (Sources.Rule r : Sources.rules()) {
        found |= w.covers(r) && reservedIn(r.expr()).contains(w.metric());
      }
      if (!found) {
        problems.add(w + ": no such panel or rule querying " + w.metric());
      }
    }
    for (Sources.PanelTarget t : Sources.panelTargets()) {
      if (!reservedIn(t.expr()).isEmpty() && waiting.stream().noneMatch(w -> w.covers(t))) {
        problems.add(t.where() + " queries " + reservedIn(t.expr()) + " but is not waiting");
      }
    }
    for (Sources.Rule r : Sources.rules()) {
      if (!reservedIn(r.expr()).isEmpty() && waiting.stream().noneMatch(w -> w.covers(r))) {
        problems.add(r.where() + " queries " + reservedIn(r.expr()) + " but is not waiting");
      }
    }
    assertThat(problems).isEmpty();
  }
}
