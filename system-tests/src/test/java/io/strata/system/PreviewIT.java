package io.strata.system;

import static io.strata.system.ImagingFleet.NEW_POOL;
import static io.strata.system.ImagingFleet.OBJECTS;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.cli.OperatorCli;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/previews} on a placed {@link ImagingFleet}: each kind of change says what it
 * would move, a breaking one names the policies it breaks, bad bodies and unknown ids are refused
 * with what is wrong, a viewer may not ask, and nothing in the map or the queue changes.
 */
class PreviewIT extends OnImagingFleet {

  @Test
  void aPreviewSaysWhatAChangeWouldMoveAndChangesNothing() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = placed(OBJECTS / 2, "initial placement");
    String previews = url(controller) + "/api/v1/previews";
    // The balancer holds still, so that the map changes only if a preview changes it.
    assertThat(
            fleet
                .operator()
                .postJson(url(controller) + "/api/v1/movement/pause?dataset=@balancer", "")
                .statusCode())
        .isEqualTo(200);
    ClusterMap before = fleet.currentMap();

    // Draining a pool moves every copy it holds: the bytes are what it holds of the placed objects
    // (the shards' scans are current once the placement has settled).
    Map<String, Long> held = new java.util.TreeMap<>();
    for (var e : fleet.desired(before).entrySet()) {
      for (String pool : e.getValue()) {
        held.merge(pool, (long) fleet.contents.get(e.getKey()).length, Long::sum);
      }
    }
    // Of the hot tier: three pools in three rooms, so draining one breaks no policy.
    String full =
        held.entrySet().stream()
            .filter(e -> before.pool(e.getKey()).orElseThrow().tier().equals("hot-nvme"))
            .max(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    String tier = before.pool(full).orElseThrow().tier();
    long expected = held.get(full);
    await("the drain preview weighs what the pool holds")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode drain = preview(fleet.operator(), previews, drain("pool", full));
              assertThat(drain.at("/movement/bytes").asLong())
                  .as(drain.toString())
                  .isEqualTo(expected);
            });
    JsonNode drain = preview(fleet.operator(), previews, drain("pool", full));
    assertThat(drain.get("change").asText()).isEqualTo("drain pool " + full);
    assertThat(drain.get("epoch").asLong()).isEqualTo(before.epoch());
    assertThat(drain.get("pools")).extracting(JsonNode::asText).containsExactly(full);
    assertThat(drain.get("brokenPolicies")).isEmpty();
    JsonNode movement = drain.get("movement");
    assertThat(movement.get("copies").asLong()).isPositive();
    assertThat(movement.at("/byTier/" + tier + "/copies").asLong())
        .isEqualTo(movement.get("copies").asLong());
    assertThat(movement.get("byTier").size()).isEqualTo(1);
    assertThat(movement.get("shardsLosingRedundancy").asInt()).isZero();
    assertThat(movement.get("peakMisplacedShare").asDouble()).isBetween(0.0, 1.0).isPositive();
    assertThat(movement.get("etaSeconds").isNumber()).as("the default budgets bound it").isTrue();
    // The imaging policy's movement bandwidth is far below the rack and room budgets.
    assertThat(movement.get("bottleneck").asText()).isEqualTo("policy imaging-archive");

    // A planner may ask too; undraining a pool in service moves nothing.
    JsonNode undrain =
        preview(fleet.as(Roles.PLANNER), previews, "{\"change\":\"undrain\",\"pool\":\"a1-hot\"}");
    assertThat(undrain.get("pools")).isEmpty();
    assertThat(undrain.at("/movement/copies").asLong()).isZero();
    assertThat(undrain.at("/movement/byTier")).isEmpty();

    JsonNode weight =
        preview(
            fleet.operator(),
            previews,
            "{\"change\":\"weight\",\"pool\":\"%s\",\"weight\":0}".formatted(full));
    assertThat(weight.get("pools")).extracting(JsonNode::asText).containsExactly(full);
    assertThat(weight.at("/movement/copies").asLong())
        .as("weight 0 moves what the drain moves")
        .isEqualTo(movement.get("copies").asLong());

    // Losing the pool makes the same copies again, from the surviving ones.
    JsonNode lose =
        preview(
            fleet.operator(), previews, "{\"change\":\"lose\",\"pool\":\"%s\"}".formatted(full));
    assertThat(lose.get("change").asText()).isEqualTo("lose pool " + full);
    assertThat(lose.get("pools")).extracting(JsonNode::asText).containsExactly(full);
    assertThat(lose.at("/movement/copies").asLong())
        .as("losing a pool makes again what draining it moves")
        .isEqualTo(movement.get("copies").asLong());
    assertThat(lose.at("/movement/bytes").asLong()).isEqualTo(movement.get("bytes").asLong());

    String added =
        "{\"change\":\"add-pools\",\"pools\":[{\"id\":\"%s\",\"domain\":\"room-a2\",\"tier\":\"hot-nvme\",\"endpoint\":\"%s\",\"capacity\":\"100GiB\",\"credentials\":\"file:pool.credentials\"}]}"
            .formatted(NEW_POOL, fleet.newPoolEndpoint());
    JsonNode add = preview(fleet.operator(), previews, added);
    assertThat(add.get("change").asText()).isEqualTo("add pools " + NEW_POOL);
    assertThat(add.at("/movement/byTier").fieldNames()).toIterable().isSubsetOf("hot-nvme");

    // A policy set in which imaging studies go to two cold copies after one year, not five: the
    // studies of one to five years each lack a copy on the second cold pool. The same set as in
    // force moves nothing; a file that is not a policy is refused, naming it.
    Map<String, String> library = new java.util.LinkedHashMap<>();
    io.strata.policy.PolicyLibrary.sources().forEach(src -> library.put(src.file(), src.text()));
    String imaging =
        library.keySet().stream()
            .filter(f -> f.contains("imaging-archive"))
            .findFirst()
            .orElseThrow();
    JsonNode same = preview(fleet.as(Roles.PLANNER), previews, policies(library));
    assertThat(same.at("/movement/copies").asLong()).isZero();
    assertThat(same.at("/movement/shards").asInt()).isPositive();
    Map<String, String> sooner = new java.util.LinkedHashMap<>(library);
    sooner.put(imaging, library.get(imaging).replace("  5y: 2 ×", "  1y: 2 ×"));
    JsonNode cold = preview(fleet.operator(), previews, policies(sooner));
    assertThat(cold.get("change").asText()).startsWith("policies ").contains(imaging);
    assertThat(cold.at("/movement/copies").asLong()).isPositive();
    assertThat(cold.at("/movement/byTier").fieldNames()).toIterable().containsOnly("cold-archive");
    Map<String, String> broken = new java.util.LinkedHashMap<>(library);
    broken.put(imaging, "policy: [");
    assertRefused(previews, policies(broken), 422, imaging);

    // Draining a whole site leaves one site and one room of hot pools: the policies it breaks are
    // named, and so are the shards that could no longer be placed in full.
    JsonNode breaking = preview(fleet.operator(), previews, drain("domain", "site-b"));
    assertThat(breaking.get("brokenPolicies")).isNotEmpty();
    assertThat(breaking.get("brokenPolicies").toString()).contains("needs 2");
    assertThat(breaking.at("/movement/shardsLosingRedundancy").asInt()).isPositive();

    // Unknown ids, bodies that are not a change, and a viewer.
    assertThat(fleet.operator().postJson(previews, drain("pool", "nope")).statusCode())
        .isEqualTo(404);
    assertThat(fleet.operator().postJson(previews, drain("domain", "nope")).statusCode())
        .isEqualTo(404);
    assertThat(
            fleet
                .operator()
                .postJson(previews, "{\"change\":\"weight\",\"pool\":\"nope\",\"weight\":1}")
                .statusCode())
        .isEqualTo(404);
    assertRefused(previews, "{\"change\":\"drain\"", 400, "");
    assertRefused(previews, "{}", 422, "field 'change'");
    assertRefused(previews, "{\"change\":\"explode\"}", 422, "'explode'");
    assertRefused(
        previews,
        "{\"change\":\"drain\",\"pool\":\"a1-hot\",\"extra\":1}",
        422,
        "unknown field 'extra'");
    assertRefused(
        previews,
        "{\"change\":\"drain\",\"pool\":\"a1-hot\",\"domain\":\"site-b\"}",
        422,
        "exactly one");
    assertRefused(
        previews, "{\"change\":\"weight\",\"pool\":\"b1-hot\",\"weight\":-1}", 422, "'weight'");
    assertRefused(
        previews,
        "{\"change\":\"add-pools\",\"pools\":[{\"id\":\"x\",\"capcity\":\"1GiB\"}]}",
        422,
        "capcity");
    assertRefused(
        previews,
        added.replace("\"" + NEW_POOL + "\"", "\"a1-hot\""),
        409,
        "pool 'a1-hot' exists already");
    assertThat(fleet.viewer().postJson(previews, drain("pool", full)).statusCode()).isEqualTo(403);

    // The operator's command line prints it as a table.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        OperatorCli.run(
            new String[] {"--url", url(controller), "preview", "drain", "pool", full},
            new PrintStream(out, true),
            System.err,
            Map.of("STRATA_TOKEN", fleet.token(Roles.OPERATOR)));
    assertThat(status).isZero();
    assertThat(out.toString())
        .contains("drain pool " + full + " (map epoch " + before.epoch() + ")")
        .contains(tier)
        .contains("bottleneck policy imaging-archive");

    // None of it changed anything: the same map, no pool draining, no drain queued.
    ClusterMap after = fleet.currentMap();
    assertThat(after.epoch()).isEqualTo(before.epoch());
    assertThat(after.pools().keySet()).isEqualTo(before.pools().keySet());
    assertThat(after.pools().values()).allMatch(p -> p.state() == DomainState.UP);
    assertThat(after.pool(full).orElseThrow().weight())
        .isEqualTo(before.pool(full).orElseThrow().weight());
    for (JsonNode task : fleet.viewer().getJson(url(controller) + "/api/v1/tasks").get("tasks")) {
      assertThat(task.get("priority").asText()).as("no drain queued").isNotEqualTo("DRAIN");
    }
  }

  private static String policies(Map<String, String> files) throws Exception {
    var body = Http.JSON.createObjectNode().put("change", "policies");
    var texts = body.putObject("files");
    files.forEach(texts::put);
    return Http.JSON.writeValueAsString(body);
  }

  private static String drain(String kind, String id) {
    return "{\"change\":\"drain\",\"%s\":\"%s\"}".formatted(kind, id);
  }

  private static JsonNode preview(Http as, String url, String body) throws Exception {
    HttpResponse<String> answer = as.postJson(url, body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Http.JSON.readTree(answer.body());
  }

  private void assertRefused(String url, String body, int status, String says) throws Exception {
    HttpResponse<String> answer = fleet.operator().postJson(url, body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).contains(says);
  }
}
