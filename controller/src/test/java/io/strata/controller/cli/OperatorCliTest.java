package io.strata.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
    assertThat(run(env, "weight", "p1", "1e309")).isEqualTo(2);
    assertThat(err.toString()).contains("weight '1e309' is not a finite number");
    assertThat(run(env, "cancel")).isEqualTo(2);
    assertThat(err.toString()).contains("cancel needs: TASK");
    assertThat(run(env, "forget-agent")).isEqualTo(2);
    assertThat(err.toString()).contains("forget-agent needs: AGENT");
    assertThat(run(env, "replicas", "replica-1")).isEqualTo(2);
    assertThat(err.toString()).contains("replicas takes no argument");
    assertThat(run(env, "policies", "imaging-archive")).isEqualTo(2);
    assertThat(err.toString()).contains("policies takes no argument");
    assertThat(run(env, "capacity", "--by")).isEqualTo(2);
    assertThat(err.toString()).contains("capacity --by needs a value");
    assertThat(run(env, "capacity", "--report", "forecast.txt")).isEqualTo(2);
    assertThat(err.toString())
        .contains("capacity --report forecast.txt: the file must end in .xlsx or .pdf");
    assertThat(run(env, "capacity", "--csv", "--report", "f.pdf")).isEqualTo(2);
    assertThat(err.toString()).contains("capacity takes one of --csv, --json and --report");
    assertThat(run(env, "capacity", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("capacity does not take 'soon'");
    assertThat(run(env, "capacity", "plan", "--onboard", "h9-imaging:2TB")).isEqualTo(2);
    assertThat(err.toString()).contains("--onboard: 'h9-imaging:2TB' is not DATASET:POLICY:PERDAY");
    assertThat(run(env, "capacity", "plan", "--add-racks", "hot@site-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--add-racks: 'hot@site-1' is not TIER@SITE=N");
    assertThat(run(env, "capacity", "plan", "--horizon-days", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--horizon-days: 'soon' is not a whole number");
    assertThat(run(env, "capacity", "plan", "--report", "plan.txt")).isEqualTo(2);
    assertThat(err.toString()).contains("the file must end in .xlsx or .pdf");
    assertThat(run(env, "capacity", "plan", "--policy", "imaging=/nonexistent.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("--policy: /nonexistent.yaml is not a file");
    assertThat(run(env, "capacity", "plan", "--by", "site")).isEqualTo(2);
    assertThat(err.toString()).contains("capacity plan does not take '--by'");
    assertThat(run(env, "explode")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'explode'");
    assertThat(run(env, "--url")).isEqualTo(2);
    assertThat(err.toString()).contains("--url needs a value");
  }

  @Test
  void recallAndLedgerCommandsWithBadArgumentsAreUsageErrors() {
    Map<String, String> env = Map.of("STRATA_TOKEN", "t");
    assertThat(run(env, "recall")).isEqualTo(2);
    assertThat(err.toString()).contains("recall needs: study|patient|prefix");
    assertThat(run(env, "recall", "study", "1.2.3")).isEqualTo(2);
    assertThat(err.toString()).contains("recall study needs --by DEADLINE");
    assertThat(run(env, "recall", "study", "1.2.3", "--by", "tomorrow")).isEqualTo(2);
    assertThat(err.toString()).contains("--by 'tomorrow' is not an ISO-8601 instant");
    assertThat(run(env, "recall", "prefix", "ds", "p/", "--dataset", "x", "--by", "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("recall prefix does not take '--dataset'");
    assertThat(run(env, "recall", "series", "1.2")).isEqualTo(2);
    assertThat(err.toString()).contains("recall takes study, patient, prefix or status");
    assertThat(run(env, "recall", "status", "a", "b")).isEqualTo(2);
    assertThat(err.toString()).contains("recall status takes at most an ID");
    assertThat(run(env, "ledger", "ds", "1.2", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("ledger takes at most: DATASET [STUDY]");
  }

  @Test
  void userTokenAndSessionCommandsWithBadArgumentsAreUsageErrors() {
    Map<String, String> env = Map.of("STRATA_TOKEN", "t");
    assertThat(run(env, "users", "set")).isEqualTo(2);
    assertThat(err.toString()).contains("users set needs: NAME");
    assertThat(run(env, "users", "set", "dave", "--roles")).isEqualTo(2);
    assertThat(err.toString()).contains("--roles needs a value");
    assertThat(run(env, "users", "set", "dave", "--password", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("users set does not take '--password'");
    assertThat(run(env, "users", "set", "dave", "--password-file", "/no/such/file")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read the password file /no/such/file");
    assertThat(run(env, "tokens", "new", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("tokens new needs: NAME ROLES [AGENT_ID]");
    assertThat(run(env, "sessions", "end")).isEqualTo(2);
    assertThat(err.toString()).contains("sessions end needs: HASH");
    assertThat(run(env, "users", "rename", "a", "b")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'users rename a b'");
  }

  @Test
  void aUrlThatIsNotAControllersAddressIsAUsageError() {
    Map<String, String> env = Map.of("STRATA_TOKEN", "t");
    assertThat(run(env, "--url", "http://127.0.0.1:8080 x", "tasks")).isEqualTo(2);
    assertThat(err.toString()).contains("--url 'http://127.0.0.1:8080 x' is not a URL");
    assertThat(run(env, "--url", "localhost:8080", "tasks")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--url 'localhost:8080' is not an http or https URL with a host");
  }

  @Test
  void aKeyReachesTheControllerWholeWhateverItsCharacters() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getRawPath());
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      Map<String, String> env = Map.of("STRATA_TOKEN", "t");
      assertThat(run(env, "--url", url, "locate", "h01", "studies/a b?.dcm")).isZero();
      assertThat(run(env, "--url", url, "locate", "h01", "studies/x#1%.dcm")).isZero();
    } finally {
      server.stop(0);
    }
    assertThat(paths)
        .containsExactly(
            "/api/v1/datasets/h01/objects/studies/a%20b%3F.dcm/locations",
            "/api/v1/datasets/h01/objects/studies/x%231%25.dcm/locations");
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
