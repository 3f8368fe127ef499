package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code strata ctl ...}: operator actions through the controller's REST API, with a bearer token
 * from {@code --token-file} or the {@code STRATA_TOKEN} environment variable.
 *
 * <pre>
 * strata ctl [--url URL] [--token-file FILE] [--json] COMMAND
 *   tasks                          the leader's queue, as a table (--json: as the API answers)
 *   cancel TASK                    cancel a task (its agent stops it if it runs)
 *   drain pool|domain ID           drain a pool, or every pool of a rack, room or site
 *   undrain pool|domain ID
 *   weight POOL WEIGHT
 *   pause [DATASET] | resume [DATASET]
 *   locate DATASET KEY             desired and known copies of an object
 *   forget-agent AGENT             forget an agent that is down for good (its node retired)
 *   replicas                       the live controller replicas, and whether they run by the
 *                                  same users, tokens, policies and settings
 *   policies                       the storage policies the replica plans by, and what is
 *                                  wrong with its policy files if it cannot use them
 *   users | tokens | sessions ...  users, tokens and console sessions (admin); see {@link
 *                                  IdentityCommands}
 *   capacity [--by site|room|pool] [--growth F] [--add TIER@SITE=SIZE]...
 *            [--csv | --report FILE.xlsx|FILE.pdf]
 *                                  when each tier fills (planner); a what-if with --growth and
 *                                  --add; --csv exports it, --report writes a report with charts
 *   capacity plan [--horizon-days N] [--confidence C] [--onboard DATASET:POLICY:PERDAY]...
 *            [--add-racks TIER@SITE=N]... [--policy NAME=FILE]... [--report FILE.xlsx|FILE.pdf]
 *                                  each tier's projection with its intervals, and the racks to
 *                                  order (planner); a what-if with --onboard and --add-racks
 * </pre>
 *
 * Exit status: 0 done, 1 the controller refused (its message is printed), 2 usage.
 */
public final class OperatorCli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs one command; never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    String url = "http://127.0.0.1:8080";
    String token = env.get("STRATA_TOKEN");
    List<String> rest = new ArrayList<>();
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> {
          if (++i >= args.length) {
            return usage(err, "--url needs a value");
          }
          url = args[i];
        }
        case "--token-file" -> {
          if (++i >= args.length) {
            return usage(err, "--token-file needs a value");
          }
          try {
            token = Files.readString(Path.of(args[i])).trim();
          } catch (IOException e) {
            err.println("strata ctl: cannot read token file " + args[i] + ": " + e.getMessage());
            return 2;
          }
        }
        case "--json" -> json = true;
        case "-h", "--help" -> {
          return usage(out, null);
        }
        default -> rest.add(args[i]);
      }
    }
    if (rest.isEmpty()) {
      return usage(err, "no command");
    }
    if (token == null || token.isBlank()) {
      return usage(err, "no token: pass --token-file FILE or set STRATA_TOKEN");
    }
    String badUrl = checkUrl(url);
    if (badUrl != null) {
      return usage(err, "--url '" + url + "' " + badUrl);
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    String[] a = rest.toArray(String[]::new);
    try {
      return switch (a[0]) {
        case "tasks" -> {
          if (a.length != 1) {
            yield usage(err, "tasks takes no argument");
          }
          if (json) {
            yield call(out, err, token, "GET", base + "/api/v1/tasks", null);
          }
          HttpResponse<String> queue = fetch(token, "GET", base + "/api/v1/tasks", null);
          if (queue.statusCode() != 200) {
            yield refused(err, queue);
          }
          JsonNode tasks = JSON.readTree(queue.body());
          String leaderUrl = null;
          if (!tasks.path("leading").asBoolean()) {
            HttpResponse<String> leader = fetch(token, "GET", base + "/api/v1/leader", null);
            if (leader.statusCode() == 200) {
              leaderUrl = JSON.readTree(leader.body()).path("currentLeaderUrl").asText(null);
            }
          }
          out.print(TaskTable.render(tasks, leaderUrl));
          yield 0;
        }
        case "cancel" ->
            a.length == 2
                ? call(out, err, token, "DELETE", base + "/api/v1/tasks/" + enc(a[1]), null)
                : usage(err, "cancel needs: TASK");
        case "drain", "undrain" -> {
          if (a.length != 3 || !(a[1].equals("pool") || a[1].equals("domain"))) {
            yield usage(err, a[0] + " needs: pool|domain ID");
          }
          yield call(
              out,
              err,
              token,
              "POST",
              base + "/api/v1/cluster-map/" + a[1] + "s/" + enc(a[2]) + "/" + a[0],
              "");
        }
        case "weight" -> {
          if (a.length != 3) {
            yield usage(err, "weight needs: POOL WEIGHT");
          }
          double w;
          try {
            w = Double.parseDouble(a[2]);
          } catch (NumberFormatException e) {
            yield usage(err, "weight '" + a[2] + "' is not a number");
          }
          if (!Double.isFinite(w)) {
            yield usage(err, "weight '" + a[2] + "' is not a finite number");
          }
          yield call(
              out,
              err,
              token,
              "PUT",
              base + "/api/v1/cluster-map/pools/" + enc(a[1]) + "/weight",
              "{\"weight\":" + w + "}");
        }
        case "pause", "resume" -> {
          if (a.length > 2) {
            yield usage(err, a[0] + " takes at most a dataset");
          }
          String query = a.length == 2 ? "?dataset=" + enc(a[1]) : "";
          yield call(out, err, token, "POST", base + "/api/v1/movement/" + a[0] + query, "");
        }
        case "locate" ->
            a.length == 3
                ? call(
                    out,
                    err,
                    token,
                    "GET",
                    base
                        + "/api/v1/datasets/"
                        + enc(a[1])
                        + "/objects/"
                        + encKey(a[2])
                        + "/locations",
                    null)
                : usage(err, "locate needs: DATASET KEY");
        case "forget-agent" ->
            a.length == 2
                ? call(out, err, token, "DELETE", base + "/api/v1/agents/" + enc(a[1]), null)
                : usage(err, "forget-agent needs: AGENT");
        case "replicas" ->
            a.length == 1
                ? call(out, err, token, "GET", base + "/api/v1/replicas", null)
                : usage(err, "replicas takes no argument");
        case "policies" ->
            a.length == 1
                ? call(out, err, token, "GET", base + "/api/v1/policies", null)
                : usage(err, "policies takes no argument");
        case "users", "tokens", "sessions" -> IdentityCommands.run(a, out, err, token, base);
        case "capacity" -> capacity(a, json, out, err, token, base);
        case "preview" -> preview(a, json, out, err, token, base);
        case "recall" -> RecallCommands.run(a, out, err, token, base);
        case "expiry" -> ExpiryCommands.expiry(a, out, err, token, base);
        case "hold" -> ExpiryCommands.hold(a, out, err, token, base);
        case "ledger" -> ledger(a, out, err, token, base);
        default -> usage(err, "unknown command '" + a[0] + "'");
      };
    } catch (IOException e) {
      err.println("strata ctl: cannot reach " + base + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /**
   * Writes what a GET of {@code url} answers into {@code file}, saying so; the controller's answer
   * on stderr and 1 unless it is a 200.
   */
  static int download(PrintStream out, PrintStream err, String token, String url, Path file)
      throws IOException, InterruptedException {
    return download(out, err, token, "GET", url, null, file);
  }

  /** As {@link #download(PrintStream, PrintStream, String, String, Path)}, for any method. */
  static int download(
      PrintStream out,
      PrintStream err,
      String token,
      String method,
      String url,
      String body,
      Path file)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                request(token, method, url, body).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      err.println("strata ctl: the controller answered " + response.statusCode() + ":");
      err.println(pretty(new String(response.body(), StandardCharsets.UTF_8)));
      return 1;
    }
    Files.write(file, response.body());
    out.println("wrote " + file + " (" + response.body().length + " bytes)");
    return 0;
  }

  /**
   * {@code ledger [DATASET [STUDY]]} as JSON, or {@code ledger report DATASET FILE.csv|FILE.pdf}.
   */
  private static int ledger(String[] a, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String api = base + "/api/v1/ledger";
    if (a.length >= 2 && a[1].equals("report")) {
      if (a.length != 4 || !(a[3].endsWith(".csv") || a[3].endsWith(".pdf"))) {
        return usage(err, "ledger report needs: DATASET FILE, the file ending in .csv or .pdf");
      }
      String format = a[3].substring(a[3].lastIndexOf('.'));
      return download(out, err, token, api + "/" + enc(a[2]) + "/report" + format, Path.of(a[3]));
    }
    return a.length <= 3
        ? call(
            out,
            err,
            token,
            "GET",
            api
                + (a.length >= 2 ? "/" + enc(a[1]) : "")
                + (a.length == 3 ? "/studies/" + enc(a[2]) : ""),
            null)
        : usage(err, "ledger takes at most: DATASET [STUDY]");
  }

  /**
   * {@code capacity [--by G] [--growth F] [--add TIER@SITE=SIZE]... [--csv | --report FILE]}: a
   * table, the CSV, or a report written to FILE ({@code .xlsx} or {@code .pdf}).
   */
  private static int capacity(
      String[] a, boolean json, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    if (a.length > 1 && a[1].equals("plan")) {
      return CapacityPlanCli.plan(
          java.util.Arrays.copyOfRange(a, 2, a.length), json, out, err, token, base);
    }
    StringBuilder query = new StringBuilder();
    boolean csv = false;
    Path report = null;
    for (int i = 1; i < a.length; i++) {
      switch (a[i]) {
        case "--by", "--growth", "--add" -> {
          if (i + 1 >= a.length) {
            return usage(err, "capacity " + a[i] + " needs a value");
          }
          query
              .append(query.isEmpty() ? '?' : '&')
              .append(a[i].substring(2))
              .append('=')
              .append(enc(a[++i]));
        }
        case "--csv" -> csv = true;
        case "--report" -> {
          if (i + 1 >= a.length) {
            return usage(err, "capacity --report needs a file ending in .xlsx or .pdf");
          }
          report = Path.of(a[++i]);
        }
        default -> {
          return usage(err, "capacity does not take '" + a[i] + "'");
        }
      }
    }
    if ((csv ? 1 : 0) + (json ? 1 : 0) + (report != null ? 1 : 0) > 1) {
      return usage(err, "capacity takes one of --csv, --json and --report");
    }
    if (report != null) {
      String name = report.getFileName().toString();
      String format = name.endsWith(".xlsx") ? "xlsx" : name.endsWith(".pdf") ? "pdf" : null;
      if (format == null) {
        return usage(err, "capacity --report " + report + ": the file must end in .xlsx or .pdf");
      }
      return download(out, err, token, base + "/api/v1/capacity/report." + format + query, report);
    }
    String url = base + "/api/v1/capacity/forecast" + (csv ? ".csv" : "") + query;
    if (json) {
      return call(out, err, token, "GET", url, null);
    }
    HttpResponse<String> response = fetch(token, "GET", url, null);
    if (response.statusCode() != 200) {
      return refused(err, response);
    }
    out.print(csv ? response.body() : CapacityTable.render(JSON.readTree(response.body())));
    return 0;
  }

  static int call(
      PrintStream out, PrintStream err, String token, String method, String url, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response = fetch(token, method, url, body);
    if (response.statusCode() / 100 == 2) {
      out.println(pretty(response.body()));
      return 0;
    }
    return refused(err, response);
  }

  /** Prints the controller's refusal; returns the exit status for it. */
  static int refused(PrintStream err, HttpResponse<String> response) {
    err.println("strata ctl: the controller answered " + response.statusCode() + ":");
    err.println(pretty(response.body()));
    return 1;
  }

  static String pretty(String text) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(text));
    } catch (IOException notJson) {
      return text;
    }
  }

  static HttpResponse<String> fetch(String token, String method, String url, String body)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(request(token, method, url, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder request(String token, String method, String url, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return request;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * An object key as a URL path: each of its segments encoded, so that a key with a space, '?' or
   * '#' reaches the controller whole; its '/'s kept, as the API's routes take them.
   */
  static String encKey(String key) {
    return Arrays.stream(key.split("/", -1)).map(OperatorCli::enc).collect(Collectors.joining("/"));
  }

  /** Why {@code url} cannot be the controller's address, or null when it can. */
  private static String checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a URL: " + e.getReason() + " at index " + e.getIndex();
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      return "is not an http or https URL with a host, such as http://127.0.0.1:8080";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  /**
   * {@code preview drain|undrain|lose pool|domain ID}, {@code preview weight POOL W} or {@code
   * preview add-pools FILE} (a topology file, or its {@code pools:} list alone): what the change
   * would do, asked of {@code POST /api/v1/previews}.
   */
  private static int preview(
      String[] a, boolean json, PrintStream out, PrintStream err, String token, String base)
      throws IOException, InterruptedException {
    String usage =
        "preview needs: drain|undrain|lose pool|domain ID, weight POOL WEIGHT, or add-pools FILE";
    if (a.length < 2) {
      return usage(err, usage);
    }
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
    body.put("change", a[1]);
    switch (a[1]) {
      case "drain", "undrain", "lose" -> {
        if (a.length != 4 || !(a[2].equals("pool") || a[2].equals("domain"))) {
          return usage(err, "preview " + a[1] + " needs: pool|domain ID");
        }
        body.put(a[2], a[3]);
      }
      case "weight" -> {
        if (a.length != 4) {
          return usage(err, "preview weight needs: POOL WEIGHT");
        }
        double w;
        try {
          w = Double.parseDouble(a[3]);
        } catch (NumberFormatException e) {
          return usage(err, "weight '" + a[3] + "' is not a number");
        }
        body.put("pool", a[2]).put("weight", w);
      }
      case "add-pools" -> {
        if (a.length != 3) {
          return usage(err, "preview add-pools needs: FILE (a topology file or its pools: list)");
        }
        JsonNode pools;
        try {
          JsonNode doc =
              new com.fasterxml.jackson.databind.ObjectMapper(
                      new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                  .readTree(java.nio.file.Files.readString(java.nio.file.Path.of(a[2])));
          pools = doc != null && doc.isArray() ? doc : doc == null ? null : doc.get("pools");
        } catch (IOException e) {
          return usage(err, "cannot read pools from '" + a[2] + "': " + e.getMessage());
        }
        if (pools == null || !pools.isArray()) {
          return usage(err, "'" + a[2] + "' has no list of pools (pools: [...])");
        }
        body.set("pools", pools);
      }
      case "policies" -> {
        if (a.length < 3) {
          return usage(
              err, "preview policies needs: FILE... (the whole set that would be in force)");
        }
        com.fasterxml.jackson.databind.node.ObjectNode files = body.putObject("files");
        for (int i = 2; i < a.length; i++) {
          try {
            files.put(a[i], java.nio.file.Files.readString(java.nio.file.Path.of(a[i])));
          } catch (IOException e) {
            return usage(err, "cannot read policy file '" + a[i] + "': " + e.getMessage());
          }
        }
      }
      default -> {
        return usage(err, usage);
      }
    }
    HttpResponse<String> answer =
        fetch(token, "POST", base + "/api/v1/previews", JSON.writeValueAsString(body));
    if (answer.statusCode() != 200) {
      return refused(err, answer);
    }
    out.print(
        json ? pretty(answer.body()) + "\n" : PreviewTable.render(JSON.readTree(answer.body())));
    return 0;
  }

  static int usage(PrintStream stream, String problem) {
    if (problem != null) {
      stream.println("strata ctl: " + problem);
    }
    stream.println(
        """
        usage: strata ctl [--url URL] [--token-file FILE] [--json] COMMAND   (or set STRATA_TOKEN)
          tasks                          the leader's task queue (a table; --json as the API has it)
          cancel TASK                    cancel a task; its agent stops it if it runs
          drain pool|domain ID           drain a pool, or every pool of a rack, room or site
          undrain pool|domain ID         take it back into service
          weight POOL WEIGHT             set a pool's placement weight
          pause [DATASET]                hold voluntary movement (all datasets without one;
                                         @balancer holds the balancer alone)
          resume [DATASET]
          locate DATASET KEY             desired and known copies of an object
          forget-agent AGENT             forget an agent that is down for good (node retired)
          replicas                       the controller replicas; whether they run by the
                                         same users, tokens, policies and settings
          policies                       the storage policies this replica plans by; what is
                                         wrong with its policy files if it cannot use them
          preview drain|undrain|lose pool|domain ID, preview weight POOL WEIGHT,
          preview add-pools FILE, preview policies FILE...
                                         what the change would move, in how long, and what it
                                         would break, without making it (operator, planner)
          recall study UID --by DEADLINE [--dataset NAME]
          recall patient HASH --by DEADLINE [--dataset NAME]
          recall prefix DATASET PREFIX --by DEADLINE
                                         bring a study, a patient's studies (by the hashed
                                         id) or a key prefix back to the hot tier by DEADLINE
                                         (ISO-8601); held there for reconcile.recallHold
          recall status [ID]             recalls with their progress and ETA (from the leader)
          ledger [DATASET [STUDY]]       copies per site and room, and those verified by content
                                         within 30 days (from the leader); a study's copies
          ledger report DATASET FILE.csv|FILE.pdf
                                         the ledger a hospital is given: every copy (CSV), or
                                         the figures and the copies not verified (PDF)
          expiry                         data past its policy's expiry, per dataset and policy;
                                         approvals and their progress; certificates kept
          expiry approve DATASET POLICY --reason TEXT [--cutoff INSTANT]
                                         destroy what expired by INSTANT (default now), every
                                         copy, with a certificate (admin)
          expiry certificate ID          a destruction certificate as it was kept
          hold                           the legal holds standing
          hold study UID|patient HASH --reason TEXT [--dataset NAME]
          hold prefix DATASET PREFIX --reason TEXT, hold dataset DATASET --reason TEXT
                                         keep what it names from any expiry (operator, admin)
          hold lift ID                   lift a legal hold (admin)
          users                          users, roles, disabled or not, file or API (admin)
          users set NAME [--roles R,R...] [--password-file FILE] [--disable | --enable]
                                         add or change a user (a new one needs both)
          users remove NAME              remove a user; its sessions end on every replica
          tokens                         tokens, roles, agent ids (never a token's text)
          tokens new NAME ROLES [AGENT_ID]
                                         make a token; its text is printed this once
          tokens disable|enable|remove NAME
          sessions                       live console sessions, by the SHA-256 of their ids
          sessions end HASH              end one on every replica
          capacity [--by site|room|pool] [--growth F] [--add TIER@SITE=SIZE]...
                   [--csv | --report FILE.xlsx|FILE.pdf]
                                         when each tier fills (planner role); what if growth
                                         is F times the trend, or SIZE is added; --csv exports,
                                         --report writes a report with charts
          capacity plan [--horizon-days N] [--confidence C] [--onboard DATASET:POLICY:PERDAY]...
                   [--add-racks TIER@SITE=N]... [--policy NAME=FILE]...
                   [--report FILE.xlsx|FILE.pdf]
                                         each tier's projected use with 80%/95% intervals, its
                                         fill date, and the racks to order with their cost by
                                         quarter (planner role); what if a hospital is
                                         onboarded (under a policy as FILE
                                         writes it) or racks are added""");
    return problem == null ? 0 : 2;
  }
}
