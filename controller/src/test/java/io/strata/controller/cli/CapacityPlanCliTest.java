package io.strata.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The purchase plan as a terminal shows it. */
class CapacityPlanCliTest {
  @Test
  void showsEachTierStandingThenTheOrdersAndTheCostByQuarter() throws Exception {
    String answer =
        """
        {"today": "2026-12-10", "horizonDays": 180, "confidence": 0.95, "historyDays": 40,
         "notes": ["cold: 2 days of history"], "datasets": ["h01-imaging (imaging)"],
         "groups": [
           {"tier": "hot", "site": "s1", "usedBytes": 935000000000, "limitBytes": 1600000000000,
            "status": "fills", "fullOn": "2027-01-24", "fullOn95": ["2027-01-20", null],
            "trendFullOn": "2027-01-24", "method": "policy-aware"},
           {"tier": "warm", "site": "s2", "usedBytes": 700000000000, "limitBytes": 0,
            "status": "no-capacity", "reason": "1 pool draining", "fullOn": null,
            "fullOn95": [null, null], "trendFullOn": null, "method": "net-growth"}],
         "plan": {"orders": [{"orderBy": "2026-12-25", "neededBy": "2027-01-24", "tier": "hot",
                              "site": "s1", "model": "nvme-1u", "racks": 2, "cost": 200000,
                              "late": false}],
                  "costByQuarter": {"2026-Q4": 200000},
                  "unplanned": [{"tier": "warm", "site": "s2", "reason": "1 pool draining"}]}}
        """;

    String table = CapacityPlanCli.render(new ObjectMapper().readTree(answer));

    assertThat(table)
        .startsWith(
            "Plan from 40 days of history to 2026-12-10, horizon 180 days, confidence 0.95\n")
        .contains("note: cold: 2 days of history")
        .contains("through their policies: h01-imaging (imaging)\n")
        .containsPattern("2027-01-24 +policy-aware\n")
        .containsPattern("- +net-growth\n")
        .contains("full on 2027-01-24")
        .contains("2027-01-20..later")
        .contains("no usable capacity (1 pool draining)")
        .contains("2026-12-25  2027-01-24  hot   s1    nvme-1u  2      200,000")
        .contains("2026-Q4: 200,000")
        .contains("not planned: warm@s2: 1 pool draining");
  }
}
