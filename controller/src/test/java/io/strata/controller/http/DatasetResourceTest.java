package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.Shard;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class DatasetResourceTest {
  private static final TestZooKeeper ZOOKEEPER = TestZooKeeper.unchecked();
  private static final ShardStore SHARDS =
      new ShardStore(ZOOKEEPER.client(), Jackson.newObjectMapper());

  static final ResourceExtension API =
      ResourceExtension.builder()
          .addResource(
              new DatasetResource(
                  List.of(
                      new Dataset("ds", "", "imaging-archive", List.of(), false),
                      new Dataset("h01-imaging", "", "imaging-archive", List.of(), false),
                      new Dataset("h02-imaging", "", "imaging-archive", List.of(), false),
                      new Dataset("h02-records", "", "imaging-archive", List.of(), false)),
                  SHARDS))
          .build();

  @BeforeAll
  static void twentyFiveShards() throws Exception {
    SHARDS.start();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < 25; i++) {
      keys.add(String.format(Locale.ROOT, "k%03d", i));
    }
    SHARDS.split(SHARDS.shards("ds").get(0), keys);
  }

  @AfterAll
  static void stop() throws Exception {
    SHARDS.stop();
    ZOOKEEPER.close();
  }

  private static List<String> starts(Response page) {
    List<String> out = new ArrayList<>();
    page.readEntity(JsonNode.class).forEach(s -> out.add(s.get("range").get("start").asText()));
    return out;
  }

  @Test
  void shardsComeInPagesWithALinkToTheNext() throws Exception {
    Response first = API.target("/v1/datasets/ds/shards").queryParam("limit", 10).request().get();
    assertThat(first.getStatus()).isEqualTo(200);
    assertThat(starts(first)).hasSize(10).startsWith("", "k001").endsWith("k009");
    String next = first.getLink("next").getUri().toString();
    assertThat(next).contains("after=k009").contains("limit=10");

    Response second = API.client().target(next).request().get();
    assertThat(starts(second)).hasSize(10).startsWith("k010").endsWith("k019");
    Response last =
        API.target("/v1/datasets/ds/shards").queryParam("after", "k019").request().get();
    assertThat(starts(last)).containsExactly("k020", "k021", "k022", "k023", "k024");
    assertThat(last.getLink("next")).isNull();
    List<Shard> all = SHARDS.shards("ds");
    assertThat(starts(API.target("/v1/datasets/ds/shards").request().get())).hasSize(all.size());
  }

  private static List<String> names(Response page) {
    List<String> out = new ArrayList<>();
    page.readEntity(JsonNode.class).forEach(d -> out.add(d.get("name").asText()));
    return out;
  }

  @Test
  void datasetsComeWholeWithoutPagingAndByPageWithTheirTotalWhenAsked() {
    assertThat(names(API.target("/v1/datasets").request().get()))
        .containsExactly("ds", "h01-imaging", "h02-imaging", "h02-records");
    Response page =
        API.target("/v1/datasets").queryParam("offset", 1).queryParam("limit", 2).request().get();
    assertThat(page.getHeaderString(Page.TOTAL)).isEqualTo("4");
    assertThat(names(page)).containsExactly("h01-imaging", "h02-imaging");
    Response filtered =
        API.target("/v1/datasets").queryParam("q", "h02").queryParam("limit", 1).request().get();
    assertThat(filtered.getHeaderString(Page.TOTAL)).isEqualTo("2");
    assertThat(names(filtered)).containsExactly("h02-imaging");
    Response refused = API.target("/v1/datasets").queryParam("offset", "-1").request().get();
    assertThat(refused.getStatus()).isEqualTo(422);
    assertThat(refused.readEntity(String.class)).contains("query parameter offset");
  }

  @Test
  void aLimitOutOfBoundsIsRefusedNamingIt() {
    for (String bad : List.of("0", "100001", "ten")) {
      Response refused =
          API.target("/v1/datasets/ds/shards").queryParam("limit", bad).request().get();
      assertThat(refused.getStatus()).as(bad).isEqualTo(400);
      assertThat(refused.readEntity(String.class)).contains("limit must be a whole number");
    }
    assertThat(API.target("/v1/datasets/nope/shards").request().get().getStatus()).isEqualTo(404);
  }
}
