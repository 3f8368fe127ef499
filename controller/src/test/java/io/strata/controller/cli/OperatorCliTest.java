package io.strata.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return OperatorCli.run(args, new PrintStream(out, true), new PrintStream(err, true), env);
  }

  @Test
  void missingTokenIsAUsageErrorThatSaysWhereTokensComeFrom() {
    assertThat(run(Map.of(), "tasks")).isEqualTo(2);
    assertThat(err.toString()).contains("no token: pass --token-file FILE or set STRATA_TOKEN");
  }

  @Test
  void badArgumentsAreUsageErrorsNamingTheProblem() {
    Map<String, String> env = Map.of("STRATA_TOKEN", "t");
    assertThat(run(env, "drain", "rack", "r1")).isEqualTo(2);
    assertThat(err.toString()).contains("drain needs: pool|domain ID");
    assertThat(run(env, "weight", "p1", "heavy")).isEqualTo(2);
    assertThat(err.toString()).contains("weight 'heavy' is not a number");
    assertThat(run(env, "cancel")).isEqualTo(2);
    assertThat(err.toString()).contains("cancel needs: TASK");
    assertThat(run(env, "explode")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'explode'");
    assertThat(run(env, "--url")).isEqualTo(2);
    assertThat(err.toString()).contains("--url needs a value");
  }

  @Test
  void anUnreachableControllerIsReportedNotThrown() {
    int status = run(Map.of("STRATA_TOKEN", "t"), "--url", "http://127.0.0.1:1", "tasks");
    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void helpIsPrintedWithSuccess() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("usage: strata ctl");
  }
}
