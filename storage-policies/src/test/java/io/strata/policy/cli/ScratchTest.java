package io.strata.policy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void run() throws Exception {
    String[][] cmds = {
      {
        "explain",
        "--policy",
        "imaging-archive",
        "--key",
        "studies/1.2.840/ct.dcm",
        "--dataset",
        "h01-imaging",
        "--metadata",
        "modality=CT",
        "study-date=20190304",
        "--size",
        "512MiB",
        "--last-modified",
        "2024-11-02T09:30:00+08:00",
        "--at",
        "2025-01-15T12:00:00+08:00"
      },
      {
        "explain",
        "--policy",
        "inpatient-records",
        "--key",
        "r/1.json",
        "--dataset",
        "h02-records",
        "--at",
        "2025-01-15"
      },
      {"validate", "policies/imaging-archive.yaml", "nonexist.yaml", "pom.xml"},
      {"explain", "--policy"},
    };
    for (String[] c : cmds) {
      var out = new ByteArrayOutputStream();
      var err = new ByteArrayOutputStream();
      int rc =
          PolicyCli.run(
              c,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      System.out.println(
          "=== rc "
              + rc
              + "\n"
              + out.toString(StandardCharsets.UTF_8)
              + "--- err\n"
              + err.toString(StandardCharsets.UTF_8));
    }
  }
}
