package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Public;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * A bounded fuzz run of the API on a running controller: every route of Jersey's resource model,
 * called as a role it admits with generated path parameters, query strings and bodies (JSON of the
 * API's own field names with odd values, and text that is not JSON). No answer may be a 500 or
 * carry a secret of the fleet, and an answer of 4xx must leave the cluster map, the users and
 * tokens, the policies and the movement switches as they were. Bounded by {@code tries} so that the
 * suite stays fast; jqwik shrinks a failure to the smallest call that shows it.
 */
class ApiFuzzIT {
  private static final int TRIES = 300;

  /** How many calls answered each status, printed at the end: what the run reached. */
  private static final java.util.Map<Integer, Integer> STATUSES =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  private static Path dir;
  private static TestFleet fleet;
  private static EmbeddedApp<ControllerConfiguration> controller;
  private static List<Route> routes;
  private static final HttpClient RAW =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One route: method, template below {@code /api}, a role it admits (null when public). */
  record Route(String method, String template, String role) {
    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  /** One generated call. */
  record Call(Route route, String pathValue, String query, String body) {}

  @BeforeContainer
  static void startFleet() throws Exception {
    dir = Files.createTempDirectory("strata-api-fuzz");
    fleet = new TestFleet(dir, 2);
    controller = fleet.startController("replica-1");
    routes = routes();
  }

  @AfterContainer
  static void stopFleet() throws Exception {
    System.out.println(
        "ApiFuzzIT: " + TRIES + " calls over " + routes.size() + " routes, by status: " + STATUSES);
    if (fleet != null) {
      fleet.close();
    }
  }

  @Property(tries = TRIES, seed = "20261206")
  void noCallAnswers500LeaksASecretOrChangesAnythingWhenRefused(@ForAll("calls") Call call)
      throws Exception {
    // A read changes nothing whatever it answers; a change must change nothing when refused.
    boolean change = !call.route().method().equals("GET");
    String before = change ? state() : null;
    HttpResponse<String> response = send(call);
    int status = response.statusCode();
    STATUSES.merge(status, 1, Integer::sum);
    assertThat(status).as("%s", call).isNotEqualTo(500);
    assertThat(status).as("%s", call).isLessThan(500).isGreaterThanOrEqualTo(200);
    for (String secret : fleet.secrets()) {
      assertThat(response.body()).as("%s answers a secret", call).doesNotContain(secret);
    }
    if (change && status / 100 == 4) {
      assertThat(state())
          .as("%s answered %d but changed something", call, status)
          .isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<Call> calls() {
    Arbitrary<Route> route = Arbitraries.of(routes);
    Arbitrary<String> pathValue =
        Arbitraries.oneOf(
            Arbitraries.of(
                "pool-0",
                "pool-1",
                "agent-x",
                "h01-imaging",
                "node-0",
                "site-1",
                "admin",
                "viewer",
                "prometheus",
                "0",
                "-1",
                "..",
                ".",
                "a b",
                "%",
                "\u00e9",
                "x".repeat(300),
                "pool-0/../pool-1",
                "\u0000",
                "{id}"),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(40));
    Arbitrary<String> query =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Combinators.combine(
                    Arbitraries.of(
                        "limit",
                        "from",
                        "to",
                        "principal",
                        "by",
                        "growth",
                        "add",
                        "points",
                        "dataset",
                        "key",
                        "state"),
                    Arbitraries.oneOf(
                        Arbitraries.of(
                            "0",
                            "-1",
                            "1e309",
                            "NaN",
                            "2025-13-40",
                            "abc",
                            "hot-nvme@site-1=2PiB",
                            "pool",
                            "9999999999999999999"),
                        Arbitraries.strings().ofMaxLength(20)))
                .as((k, v) -> "?" + k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return Combinators.combine(route, pathValue, query, bodies()).as(Call::new);
  }

  /** JSON of the API's own field names with odd values, or text that is not JSON at all. */
  private static Arbitrary<String> bodies() {
    Arbitrary<String> key =
        Arbitraries.of(
            "weight",
            "pools",
            "pool",
            "domain",
            "change",
            "id",
            "name",
            "roles",
            "password",
            "user",
            "agentId",
            "disabled",
            "files",
            "results",
            "sequence",
            "epoch",
            "dataset",
            "key",
            "state",
            "tier",
            "capacity",
            "endpoint",
            "credentials",
            "reports",
            "tasks",
            "growth",
            "x");
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(
                "null",
                "true",
                "false",
                "0",
                "-1",
                "7",
                "1e309",
                "-0.0",
                "99999999999999999999999",
                "\"\"",
                "\"pool-0\"",
                "\"drain\"",
                "\"lose\"",
                "\"admin\"",
                "[\"admin\"]",
                "[\"agent\"]",
                "[]",
                "{}",
                "[null]",
                "\"\\u0000\"",
                "\"Str0ng-Passw0rd!\""),
            Arbitraries.strings().ofMaxLength(30).map(ApiFuzzIT::jsonString));
    Arbitrary<String> object =
        Arbitraries.maps(key, scalar)
            .ofMaxSize(4)
            .map(
                m -> {
                  List<String> fields = new ArrayList<>();
                  m.forEach((k, v) -> fields.add(jsonString(k) + ":" + v));
                  return "{" + String.join(",", fields) + "}";
                });
    Arbitrary<String> notJson =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "{",
                "[",
                "}",
                "{\"weight\":",
                "null",
                "[1,2",
                "\u00ff\u00fe",
                "{\"a\":1}{\"b\":2}",
                "<xml/>"),
            Arbitraries.strings().ofMaxLength(60));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, object),
        net.jqwik.api.Tuple.of(2, notJson),
        net.jqwik.api.Tuple.of(1, object.map(o -> "[" + o + "]")));
  }

  private static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append("\\u%04x".formatted((int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  private static HttpResponse<String> send(Call call) throws Exception {
    String path =
        call.route()
            .template()
            .replaceAll(
                "\\{[^}]+}",
                java.util.regex.Matcher.quoteReplacement(
                    URLEncoder.encode(call.pathValue(), StandardCharsets.UTF_8)
                        .replace("+", "%20")));
    String url = "http://127.0.0.1:" + controller.port() + "/api" + path + call.query();
    boolean withBody =
        !call.route().method().equals("GET") && !call.route().method().equals("HEAD");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                call.route().method(),
                withBody
                    ? HttpRequest.BodyPublishers.ofString(call.body())
                    : HttpRequest.BodyPublishers.noBody())
            .header("Content-Type", "application/json");
    if (call.route().role() != null) {
      String who = call.route().role().equals(Roles.AGENT) ? "agent-x" : call.route().role();
      request.header("Authorization", "Bearer " + fleet.tokens.get(who));
    }
    HttpResponse<String> response = RAW.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Http.BODIES.add(response.body());
    return response;
  }

  /** What a refused call must not change, as the API shows it. */
  private static String state() throws Exception {
    String api = "http://127.0.0.1:" + controller.port() + "/api/v1";
    Http admin = fleet.as(Roles.ADMIN);
    return String.join(
        "\n",
        admin.fetch(api + "/cluster-map").body(),
        admin.fetch(api + "/identities/users").body(),
        admin.fetch(api + "/identities/tokens").body(),
        admin.fetch(api + "/movement").body(),
        Http.JSON.readTree(admin.fetch(api + "/policies").body()).path("inForce").toString());
  }

  /** Every route the controller serves, from the resource model Jersey built. */
  private static List<Route> routes() {
    var config = controller.environment().jersey().getResourceConfig();
    List<Route> out = new ArrayList<>();
    Stream.concat(
            config.getClasses().stream(), config.getInstances().stream().map(Object::getClass))
        .filter(c -> c.isAnnotationPresent(jakarta.ws.rs.Path.class))
        .distinct()
        .forEach(c -> collect(c, Resource.from(c).getPath(), Resource.from(c), out));
    assertThat(out).hasSizeGreaterThan(30);
    return List.copyOf(out);
  }

  private static void collect(Class<?> type, String base, Resource resource, List<Route> out) {
    for (ResourceMethod m : resource.getResourceMethods()) {
      Method java = m.getInvocable().getHandlingMethod();
      RolesAllowed allowed =
          java.isAnnotationPresent(RolesAllowed.class)
              ? java.getAnnotation(RolesAllowed.class)
              : type.getAnnotation(RolesAllowed.class);
      String role =
          java.isAnnotationPresent(Public.class) || allowed == null ? null : allowed.value()[0];
      out.add(new Route(m.getHttpMethod(), base.replaceAll("/+$", ""), role));
    }
    for (Resource child : resource.getChildResources()) {
      collect(type, base + "/" + child.getPath().replaceAll("^/", ""), child, out);
    }
  }
}
