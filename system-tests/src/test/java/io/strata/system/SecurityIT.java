package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.DenyByDefaultFeature;
import io.strata.controller.security.Hashes;
import io.strata.controller.security.Public;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control on a running controller and agent: every route of Jersey's resource model refuses
 * anonymous calls and every role outside its rights; agents' own ids; sessions and CSRF; Basic for
 * reads only; {@code /metrics}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  /** The only routes that answer without credentials. A new one must be added here on purpose. */
  private static final Set<String> PUBLIC_ROUTES = Set.of("POST /v1/session", "DELETE /v1/session");

  /** Every path parameter is given this value: the id of the agent whose token the matrix uses. */
  private static final String PATH_VALUE = "agent-x";

  private Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;
  private EmbeddedApp<io.strata.agent.AgentConfiguration> agent;
  private final HttpClient raw = HttpClient.newHttpClient();

  /** One route: method, template below {@code /api}, and the roles its Java method admits. */
  record Route(String method, String template, Set<String> roles, boolean isPublic) {
    String url(int port) {
      // The user API's names are probed with a name nobody has: the matrix must not remove the
      // agent token it calls with.
      String value =
          template.startsWith("/v1/identities") || template.startsWith("/v1/sessions")
              ? "matrix-probe"
              : PATH_VALUE;
      return "http://127.0.0.1:" + port + "/api" + template.replaceAll("\\{[^}]+}", value);
    }

    boolean mutating() {
      return !method.equals("GET") && !method.equals("HEAD");
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  @BeforeAll
  void startFleet(@TempDir Path dir) throws Exception {
    this.dir = dir;
    fleet = new TestFleet(dir, 2);
    fleet.logLevel = "INFO";
    controller = fleet.startController("replica-1");
    agent = fleet.startAgent("agent-a", 0, controller.port());
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Every route the controller serves, from the resource model Jersey built. */
  private List<Route> routes() {
    var config = controller.environment().jersey().getResourceConfig();
    List<Route> routes = new ArrayList<>();
    Stream.concat(
            config.getClasses().stream(), config.getInstances().stream().map(Object::getClass))
        .filter(c -> c.isAnnotationPresent(jakarta.ws.rs.Path.class))
        .distinct()
        .forEach(
            c -> {
              Resource resource = Resource.from(c);
              collect(c, resource.getPath(), resource, routes);
            });
    return routes;
  }

  private static void collect(Class<?> type, String base, Resource resource, List<Route> out) {
    for (ResourceMethod m : resource.getResourceMethods()) {
      Method java = m.getInvocable().getHandlingMethod();
      RolesAllowed allowed =
          java.isAnnotationPresent(RolesAllowed.class)
              ? java.getAnnotation(RolesAllowed.class)
              : type.getAnnotation(RolesAllowed.class);
      boolean denied = java.isAnnotationPresent(DenyAll.class);
      Set<String> roles =
          allowed == null || denied ? Set.of() : Set.copyOf(List.of(allowed.value()));
      assertThat(DenyByDefaultFeature.declaresAccess(type, java))
          .as("%s.%s names its roles or is @Public", type.getSimpleName(), java.getName())
          .isTrue();
      out.add(
          new Route(
              m.getHttpMethod(),
              base.replaceAll("/+$", ""),
              roles,
              java.isAnnotationPresent(Public.class)));
    }
    for (Resource child : resource.getChildResources()) {
      collect(type, base + "/" + child.getPath().replaceAll("^/", ""), child, out);
    }
  }

  private HttpResponse<String> call(Route route, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(route.url(controller.port())))
            .method(
                route.method(),
                route.mutating()
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody())
            .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response = raw.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Http.BODIES.add(response.body());
    return response;
  }

  @Test
  void theRouteModelHoldsEveryKnownRouteAndOnlyTheLoginRoutesArePublic() {
    List<Route> routes = routes();
    Set<String> names = new TreeSet<>();
    routes.forEach(r -> names.add(r.toString()));
    assertThat(names)
        .contains(
            "GET /v1/cluster-map",
            "GET /v1/cluster-map/pools/{id}",
            "GET /v1/agents",
            "POST /v1/agents/{id}/heartbeat",
            "GET /v1/datasets/{name}",
            "GET /v1/leader",
            "GET /v1/session",
            "GET /v1/audit",
            "GET /v1/audit/verify",
            "GET /v1/identities/users",
            "PUT /v1/identities/users/{name}",
            "DELETE /v1/identities/users/{name}",
            "GET /v1/identities/tokens",
            "POST /v1/identities/tokens",
            "PUT /v1/identities/tokens/{name}",
            "DELETE /v1/identities/tokens/{name}",
            "GET /v1/sessions",
            "DELETE /v1/sessions/{hash}");
    Set<String> open = new TreeSet<>();
    routes.stream().filter(Route::isPublic).forEach(r -> open.add(r.toString()));
    assertThat(open).isEqualTo(PUBLIC_ROUTES);
    assertThat(controller.environment().getApplicationContext()).isNotNull();
  }

  @Test
  void everyRouteRefusesACallWithoutCredentials() throws Exception {
    for (Route route : routes()) {
      if (route.isPublic()) {
        continue;
      }
      HttpResponse<String> response = call(route, null);
      assertThat(response.statusCode()).as("%s without credentials", route).isEqualTo(401);
      assertThat(response.body()).as("%s", route).contains("\"code\":401");
      assertThat(call(route, "Bearer not-a-token").statusCode())
          .as("%s with an unknown token", route)
          .isEqualTo(401);
    }
  }

  @Test
  void everyRoleIsRefusedOutsideItsRightsAndAdmittedWithin() throws Exception {
    for (Route route : routes()) {
      if (route.isPublic()) {
        continue;
      }
      for (String role : Roles.ALL) {
        String token = fleet.tokens.get(role.equals(Roles.AGENT) ? PATH_VALUE : role);
        int status = call(route, "Bearer " + token).statusCode();
        if (route.roles().contains(role)) {
          assertThat(status).as("%s as %s", route, role).isNotIn(401, 403);
        } else {
          assertThat(status).as("%s as %s", route, role).isEqualTo(403);
        }
      }
    }
  }

  @Test
  void anAgentTokenMayBeatOnlyForItsOwnAgent() throws Exception {
    String url = "http://127.0.0.1:" + controller.port() + "/api/v1/agents/agent-b/heartbeat";
    var response = fleet.as("agent-a").postJson(url, "{\"agentId\":\"agent-b\"}");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("only for its own agent");
  }

  @Test
  void aConsoleSessionReadsNeedsItsCsrfTokenForChangesAndEndsOnLogout() throws Exception {
    String base = "http://127.0.0.1:" + controller.port();
    var page = raw.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), body());
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login.html");

    var wrong = Http.login(controller.port(), "viewer", "not the password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    var login = Http.login(controller.port(), "viewer", fleet.passwords.get(Roles.VIEWER));
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = Http.JSON.readTree(login.body()).get("csrfToken").asText();

    assertThat(withCookie(base + "/", "GET", cookie, null).statusCode()).isEqualTo(200);
    assertThat(withCookie(base + "/api/v1/cluster-map", "GET", cookie, null).statusCode())
        .isEqualTo(200);
    String beat = base + "/api/v1/agents/agent-x/heartbeat";
    var noCsrf = withCookie(beat, "POST", cookie, null);
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("CSRF");
    var withCsrf = withCookie(beat, "POST", cookie, csrf);
    assertThat(withCsrf.statusCode()).isEqualTo(403);
    assertThat(withCsrf.body()).doesNotContain("CSRF");

    assertThat(withCookie(base + "/api/v1/session", "DELETE", cookie, csrf).statusCode())
        .isEqualTo(204);
    assertThat(withCookie(base + "/api/v1/cluster-map", "GET", cookie, null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aConsoleSessionHoldsOnEveryReplicaAndALogOffOnOneEndsItOnAll() throws Exception {
    try (EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2")) {
      String first = "http://127.0.0.1:" + controller.port();
      String other = "http://127.0.0.1:" + second.port();
      var login = Http.login(controller.port(), "viewer", fleet.passwords.get(Roles.VIEWER));
      assertThat(login.statusCode()).isEqualTo(200);
      String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String csrf = Http.JSON.readTree(login.body()).get("csrfToken").asText();

      var onOther = withCookie(other + "/api/v1/session", "GET", cookie, null);
      assertThat(onOther.statusCode()).as("the session, on the other replica").isEqualTo(200);
      assertThat(Http.JSON.readTree(onOther.body()).get("csrfToken").asText()).isEqualTo(csrf);

      assertThat(withCookie(other + "/api/v1/session", "DELETE", cookie, csrf).statusCode())
          .isEqualTo(204);
      assertThat(withCookie(first + "/api/v1/cluster-map", "GET", cookie, null).statusCode())
          .as("logged off on the other replica, so here too")
          .isEqualTo(401);
    }
  }

  @Test
  void aTokenAddedToTheTokensFileCountsWithoutARestartAndStopsOnceRevoked() throws Exception {
    Instant started = Instant.now();
    Path tokens = fleet.dir.resolve("tokens.yml");
    String before = Files.readString(tokens);
    String token = "added-while-running";
    Route read = new Route("GET", "/v1/cluster-map", Set.of(), false);
    assertThat(call(read, "Bearer " + token).statusCode()).isEqualTo(401);
    try {
      Files.writeString(
          tokens,
          before
              + "  - {name: added, sha256: %s, roles: [viewer]}\n".formatted(Hashes.sha256(token)));
      await("the added token admitted")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> call(read, "Bearer " + token).statusCode() == 200);
    } finally {
      Files.writeString(tokens, before);
    }
    await("the revoked token refused")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> call(read, "Bearer " + token).statusCode() == 401);
    // Both changes are in this replica's audit trail (the pools keep the earlier tests' too).
    // The second is appended just after it takes effect, and reaches the pools a flush later.
    String reload = "200 " + fleet.dir.resolve("users.yml") + "," + tokens;
    await("both reloads in the audit trail")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> reloads(started), r -> r.equals(List.of(reload, reload)));
  }

  /** This replica's {@code reload identities} records since {@code started}: outcome, target. */
  private List<String> reloads(Instant started) throws Exception {
    List<String> reloads = new ArrayList<>();
    fleet
        .as(Roles.AUDITOR)
        .getJson(
            "http://127.0.0.1:" + controller.port() + "/api/v1/audit?principal=-&from=" + started)
        .forEach(
            r -> {
              if (r.get("action").asText().equals("reload identities")
                  && r.get("replica").asText().equals("replica-1")) {
                reloads.add(r.get("outcome").asInt() + " " + r.get("target").asText());
              }
            });
    return reloads;
  }

  @Test
  void replicasWhoseTokensFilesGrantDifferentlySayWhichUntilTheFilesAgree() throws Exception {
    Path tokens = fleet.dir.resolve("tokens.yml");
    Path own = fleet.dir.resolve("tokens-replica-3.yml");
    // The same tokens, written another way: a comment, and the entries in reverse order.
    List<String> lines = Files.readAllLines(tokens);
    List<String> entries = new ArrayList<>(lines.subList(1, lines.size()));
    Collections.reverse(entries);
    String same = "# copied from replica-1\ntokens:\n" + String.join("\n", entries) + "\n";
    Files.writeString(own, same);
    fleet.tokensFiles.put("replica-3", own);
    try (EmbeddedApp<ControllerConfiguration> third = fleet.startController("replica-3")) {
      await("both replicas agree")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> agreement(controller.port(), "replica-3"), a -> a.equals("agree"));
      assertThat(identityMetric(controller.port())).isEqualTo(1);

      String token = "only-on-replica-3";
      Files.writeString(
          own,
          same
              + "  - {name: extra, sha256: %s, roles: [operator]}\n"
                  .formatted(Hashes.sha256(token)));
      await("replica-1 names replica-3 as differing")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> agreement(controller.port(), "replica-3"), a -> a.equals("differ"));
      assertThat(agreement(third.port(), "replica-1")).isEqualTo("differ");
      assertThat(identityMetric(controller.port())).isEqualTo(0);
      assertThat(identityMetric(third.port())).isEqualTo(0);
      // What the difference means: the token opens one replica and not the other.
      String url = "/api/v1/cluster-map";
      assertThat(Http.bearer(token).fetch("http://127.0.0.1:" + third.port() + url).statusCode())
          .isEqualTo(200);
      assertThat(
              Http.bearer(token).fetch("http://127.0.0.1:" + controller.port() + url).statusCode())
          .isEqualTo(401);

      Files.writeString(own, same);
      await("replica-3 agrees again")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> agreement(third.port(), "replica-1"), a -> a.equals("agree"));
      await("replica-1 agrees again")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> agreement(controller.port(), "replica-3"), a -> a.equals("agree"));
      assertThat(identityMetric(controller.port())).isEqualTo(1);
    } finally {
      fleet.tokensFiles.remove("replica-3");
    }
  }

  /**
   * Whether the replica at {@code port} lists {@code other} as live, and as granting the same
   * ("agree") or not ("differ"); "absent" while it does not list it.
   */
  private String agreement(int port, String other) throws Exception {
    var response = fleet.as(Roles.VIEWER).fetch("http://127.0.0.1:" + port + "/api/v1/replicas");
    assertThat(response.statusCode()).isEqualTo(200);
    var view = Http.JSON.readTree(response.body());
    for (var replica : view.get("replicas")) {
      if (replica.get("replica").asText().equals(other)) {
        boolean same = replica.get("sameIdentityFiles").asBoolean();
        List<String> differing = new ArrayList<>();
        view.get("identityFilesDiffering").forEach(d -> differing.add(d.asText()));
        assertThat(differing.contains(other)).isEqualTo(!same);
        assertThat(view.get("identityFilesAgree").asBoolean()).isEqualTo(differing.isEmpty());
        return same ? "agree" : "differ";
      }
    }
    return "absent";
  }

  private int identityMetric(int port) throws Exception {
    String metrics = fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + port + "/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("strata_controller_identity_files_agree "))
        .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void basicCredentialsReadButCannotChange() throws Exception {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    ("operator:" + fleet.passwords.get(Roles.OPERATOR))
                        .getBytes(StandardCharsets.UTF_8));
    Route read = new Route("GET", "/v1/cluster-map", Set.of(), false);
    assertThat(call(read, basic).statusCode()).isEqualTo(200);
    Route change = new Route("POST", "/v1/agents/{id}/heartbeat", Set.of(), false);
    var refused = call(change, basic);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("reads only");
  }

  @Test
  void metricsNeedATokenOfTheMetricsOrViewerRole() throws Exception {
    String url = "http://127.0.0.1:" + controller.port() + "/metrics";
    assertThat(Http.get(url).statusCode()).isEqualTo(401);
    assertThat(fleet.as(Roles.AUDITOR).fetch(url).statusCode()).isEqualTo(403);
    assertThat(fleet.as(Roles.METRICS).fetch(url).body()).contains("strata_cluster_map_epoch");
    assertThat(fleet.as(Roles.VIEWER).fetch(url).statusCode()).isEqualTo(200);
  }

  @Test
  void anAgentsMetricsAndStatusNeedATokenOfTheMetricsRole() throws Exception {
    for (String path : List.of("/metrics", "/status")) {
      String url = "http://127.0.0.1:" + agent.port() + path;
      var anonymous = Http.get(url);
      assertThat(anonymous.statusCode()).as("%s without a token", path).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"strata-agent\"");
      assertThat(Http.bearer("not-a-token").fetch(url).statusCode()).isEqualTo(401);
      assertThat(fleet.as(Roles.VIEWER).fetch(url).statusCode())
          .as("%s as viewer", path)
          .isEqualTo(403);
      assertThat(fleet.as(Roles.METRICS).fetch(url).statusCode())
          .as("%s as metrics", path)
          .isEqualTo(200);
    }
    assertThat(
            fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + agent.port() + "/metrics").body())
        .contains("strata_agent_heartbeats_total");
  }

  @Test
  void aUserAddedThroughTheApiLogsInOnEveryReplicaAndItsSessionsEndOnAllOnceRemoved()
      throws Exception {
    Http admin = fleet.as(Roles.ADMIN);
    String api = "http://127.0.0.1:" + controller.port() + "/api/v1";
    String password = "Api-added-" + Hashes.randomToken().substring(0, 12);
    var weak =
        admin.send(
            "PUT",
            api + "/identities/users/carol",
            "{\"password\": \"carol-carol\", \"roles\": [\"root\"]}");
    assertThat(weak.statusCode()).isEqualTo(422);
    assertThat(weak.body())
        .contains("must not contain the user's name")
        .contains("unknown role 'root'")
        .doesNotContain("carol-carol");
    try (EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2")) {
      var added =
          admin.send(
              "PUT",
              api + "/identities/users/carol",
              Http.JSON.writeValueAsString(
                  java.util.Map.of("password", password, "roles", List.of(Roles.VIEWER))));
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      assertThat(added.body()).contains("\"source\":\"api\"").doesNotContain(password);

      var login = Http.login(second.port(), "carol", password);
      assertThat(login.statusCode()).as("on the other replica").isEqualTo(200);
      String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String other = "http://127.0.0.1:" + second.port();
      assertThat(withCookie(other + "/api/v1/cluster-map", "GET", cookie, null).statusCode())
          .isEqualTo(200);
      var listed = admin.getJson(api + "/sessions");
      List<String> users = new ArrayList<>();
      listed.forEach(session -> users.add(session.get("user").asText()));
      assertThat(users).contains("carol");
      assertThat(listed.toString()).doesNotContain(cookie.substring(cookie.indexOf('=') + 1));

      assertThat(admin.send("DELETE", api + "/identities/users/carol", null).statusCode())
          .isEqualTo(204);
      await("carol's session ended on the other replica")
          .atMost(TestFleet.TIMEOUT)
          .until(
              () ->
                  withCookie(other + "/api/v1/cluster-map", "GET", cookie, null).statusCode()
                      == 401);
      assertThat(Http.login(second.port(), "carol", password).statusCode()).isEqualTo(401);
      assertThat(admin.send("DELETE", api + "/identities/users/carol", null).statusCode())
          .isEqualTo(404);
    }
    // Every change, refused or made, is in the audit trail, its password digested away.
    await("the user API's changes in the audit trail")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () -> {
              List<String> changes = new ArrayList<>();
              fleet
                  .as(Roles.AUDITOR)
                  .getJson(api + "/audit?principal=admin-token")
                  .forEach(
                      r -> {
                        if (r.get("target").asText().endsWith("/identities/users/carol")) {
                          changes.add(r.get("outcome").asInt() + " " + r.get("action").asText());
                        }
                      });
              return changes.containsAll(
                  List.of(
                      "422 PUT /v1/identities/users/{name}",
                      "200 PUT /v1/identities/users/{name}",
                      "204 DELETE /v1/identities/users/{name}"));
            });
  }

  @Test
  void aTokenMadeThroughTheApiIsShownOnceAdmitsAtOnceAndStopsOnceRevoked() throws Exception {
    Http admin = fleet.as(Roles.ADMIN);
    String api = "http://127.0.0.1:" + controller.port() + "/api/v1";
    var made =
        admin.postJson(
            api + "/identities/tokens", "{\"name\": \"dashboard\", \"roles\": [\"viewer\"]}");
    assertThat(made.statusCode()).isEqualTo(201);
    String token = Http.JSON.readTree(made.body()).get("token").asText();
    assertThat(Http.bearer(token).fetch(api + "/cluster-map").statusCode()).isEqualTo(200);
    assertThat(admin.fetch(api + "/identities/tokens").body())
        .contains("\"name\":\"dashboard\"")
        .doesNotContain(token)
        .doesNotContain(Hashes.sha256(token));
    assertThat(
            admin
                .postJson(
                    api + "/identities/tokens",
                    "{\"name\": \"dashboard\", \"roles\": [\"viewer\"]}")
                .statusCode())
        .isEqualTo(409);

    assertThat(
            admin
                .send("PUT", api + "/identities/tokens/dashboard", "{\"disabled\": true}")
                .statusCode())
        .isEqualTo(200);
    assertThat(Http.bearer(token).fetch(api + "/cluster-map").statusCode()).isEqualTo(401);
    assertThat(
            admin
                .send("PUT", api + "/identities/tokens/dashboard", "{\"disabled\": false}")
                .statusCode())
        .isEqualTo(200);
    assertThat(Http.bearer(token).fetch(api + "/cluster-map").statusCode()).isEqualTo(200);
    assertThat(admin.send("DELETE", api + "/identities/tokens/dashboard", null).statusCode())
        .isEqualTo(204);
    assertThat(Http.bearer(token).fetch(api + "/cluster-map").statusCode()).isEqualTo(401);
  }

  @Test
  void theCliManagesUsersTokensAndSessionsThroughTheApi() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    var print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
    var printErr = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    var env = java.util.Map.of("STRATA_TOKEN", fleet.tokens.get(Roles.ADMIN));
    String url = "http://127.0.0.1:" + controller.port();
    java.util.function.Function<String[], Integer> ctl =
        args -> {
          String[] all = new String[args.length + 2];
          all[0] = "--url";
          all[1] = url;
          System.arraycopy(args, 0, all, 2, args.length);
          return io.strata.controller.cli.OperatorCli.run(all, print, printErr, env);
        };
    Path password = dir.resolve("dave.password");
    Files.writeString(password, "Blue-Harbour-42!\n");

    assertThat(ctl.apply(new String[] {"users", "set", "dave"})).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("a new user needs a password");
    assertThat(
            ctl.apply(
                new String[] {
                  "users",
                  "set",
                  "dave",
                  "--roles",
                  "viewer",
                  "--password-file",
                  password.toString()
                }))
        .as(err.toString(StandardCharsets.UTF_8))
        .isZero();
    assertThat(Http.login(controller.port(), "dave", "Blue-Harbour-42!").statusCode())
        .isEqualTo(200);
    out.reset();
    assertThat(ctl.apply(new String[] {"users"})).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"dave\"").contains("\"api\"");
    out.reset();
    assertThat(ctl.apply(new String[] {"sessions"})).isZero();
    String hash = null;
    for (var session : Http.JSON.readTree(out.toString(StandardCharsets.UTF_8))) {
      if (session.get("user").asText().equals("dave")) {
        hash = session.get("sessionHash").asText();
      }
    }
    assertThat(hash).as("dave's session listed").isNotNull();
    assertThat(ctl.apply(new String[] {"sessions", "end", hash})).isZero();
    assertThat(ctl.apply(new String[] {"users", "set", "dave", "--disable"})).isZero();
    assertThat(Http.login(controller.port(), "dave", "Blue-Harbour-42!").statusCode())
        .isEqualTo(401);
    assertThat(ctl.apply(new String[] {"users", "remove", "dave"})).isZero();

    out.reset();
    assertThat(ctl.apply(new String[] {"tokens", "new", "cli-made", "metrics"})).isZero();
    String token = Http.JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("token").asText();
    assertThat(Http.bearer(token).fetch(url + "/metrics").statusCode()).isEqualTo(200);
    assertThat(ctl.apply(new String[] {"tokens", "remove", "cli-made"})).isZero();
    assertThat(Http.bearer(token).fetch(url + "/metrics").statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> withCookie(String url, String method, String cookie, String csrf)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Cookie", cookie)
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    HttpResponse<String> response = raw.send(request.build(), body());
    Http.BODIES.add(response.body());
    return response;
  }

  private static HttpResponse.BodyHandler<String> body() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
