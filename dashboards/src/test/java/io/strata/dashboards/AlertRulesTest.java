package io.strata.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule files pass promtool's checks and their unit tests, and every alert is actionable. */
class AlertRulesTest {
  private static String[] names(List<Path> files) {
    return files.stream().map(p -> p.getFileName().toString()).toArray(String[]::new);
  }

  @Test
  void ruleFilesPassPromtoolCheckRules() throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    args.addAll(List.of(names(Sources.ruleFiles())));
    Promtool.Result result = Promtool.run(Sources.PROMETHEUS, null, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void ruleUnitTestsPassPromtoolTestRules() throws Exception {
    assertThat(Sources.ruleTestFiles()).isNotEmpty();
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(List.of(names(Sources.ruleTestFiles())));
    Promtool.Result result = Promtool.run(Sources.PROMETHEUS, null, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void everyAlertHasASeverityRunbookAnnotationsAndAUnitTestWhereItFires() {
    Set<String> testedFiring = new HashSet<>();
    for (Path file : Sources.ruleTestFiles()) {
      for (JsonNode test : Sources.yaml(file).path("tests")) {
        for (JsonNode t : test.path("alert_rule_test")) {
          if (t.path("exp_alerts").size() > 0) {
            testedFiring.add(t.path("alertname").asText());
          }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (Path file : Sources.ruleFiles()) {
      for (JsonNode group : Sources.yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (!rule.has("alert")) {
            continue;
          }
          String name = rule.path("alert").asText();
          if (!Set.of("critical", "warning")
              .contains(rule.path("labels").path("severity").asText())) {
            problems.add(name + ": severity must be critical or warning");
          }
          for (String a : List.of("summary", "description", "runbook")) {
            if (rule.path("annotations").path(a).asText().isBlank()) {
              problems.add(name + ": no " + a + " annotation");
            }
          }
          if (!testedFiring.contains(name)) {
            problems.add(name + ": no promtool test expects it to fire");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }
}
