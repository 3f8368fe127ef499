package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.cli.OperatorCli;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.runtime.s3.TestS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity planner end to end: two controller replicas sampling every second what two agents
 * count on their pools, a pool that grows, and the forecast read as a planner reads it (API, CSV,
 * command line, metric) from either replica; the plan pushes a dataset whose bytes and ages the
 * history records (seeded for a week) through its policy.
 */
class CapacityIT {
  private static final String CAPACITY =
      "capacity:\n  sampleInterval: 1s\n  rackModels:\n"
          + "    - {name: nvme-2u, tier: hot-nvme, usable: 1GiB, powerKw: 3, cost: 50000,"
          + " leadTime: 1d}\n";

  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> first;
  private EmbeddedApp<ControllerConfiguration> second;
  private Http planner;

  /** The policy in force of the seeded dataset h99-imaging: two copies on hot-nvme. */
  private static final String CLINIC =
      """
      policy: clinic
      datasets: ["h99-*"]
      recordClass: none
      phases: {0d: 2 × hot-nvme spread room}
      retention: {minimum: 0d}
      """;

  private static final int SEEDED_DAYS = 7;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 2);
    planner = fleet.as(Roles.PLANNER);
    Path policy = dir.resolve("clinic.yaml");
    java.nio.file.Files.writeString(policy, CLINIC);
    fleet.reconcileYaml = fleet.reconcileYaml + "  policyFiles: [" + policy + "]\n";
    seedDatasetHistory();
    first = fleet.startController("replica-1", new StrataApplication(), CAPACITY);
    second = fleet.startController("replica-2", new StrataApplication(), CAPACITY);
    fleet.startAgent("agent-a", 0, first.port());
    fleet.startAgent("agent-b", 1, second.port());
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  /**
   * A week of daily samples in the system dataset, as a leader would have written them, that count
   * one dataset, h99-imaging under clinic, writing 1 MB a day, with its ages: what the plan needs
   * to push it through its policy. They count no pool, so the pools' own history is the live one.
   */
  private void seedDatasetHistory() throws Exception {
    MinioClient pool0 = TestS3.client(fleet.pools.get(0).endpoint().toString(), TestFleet.KEYS);
    TestFleet.makeBucket(pool0, "strata-system");
    java.time.Instant newest = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
    for (int i = 0; i < SEEDED_DAYS; i++) {
      java.time.Instant at = newest.minus(java.time.Duration.ofDays(SEEDED_DAYS - 1 - i));
      List<String> ages = new ArrayList<>();
      for (int age = i; age >= 0; age--) {
        ages.add("1000000");
      }
      String sample =
          ("{\"at\": \"%s\", \"pools\": [], \"used\": [], \"datasets\": [{\"dataset\":"
                  + " \"h99-imaging\", \"policy\": \"clinic\", \"bytes\": %d, \"ages\": [%s]}]}")
              .formatted(at, (i + 1) * 1_000_000L, String.join(", ", ages));
      byte[] body = sample.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      pool0.putObject(
          PutObjectArgs.builder()
              .bucket("strata-system")
              .object(io.strata.controller.capacity.CapacityHistory.key(at, "replica-0"))
              .stream(new ByteArrayInputStream(body), body.length, -1)
              .build());
    }
  }

  private static String api(EmbeddedApp<?> app, String path) {
    return "http://127.0.0.1:" + app.port() + "/api/v1" + path;
  }

  @Test
  void aGrowingPoolIsForecastFullByEitherReplicaAsAPlannerAsks() throws Exception {
    MinioClient pool0 = TestS3.client(fleet.pools.get(0).endpoint().toString(), TestFleet.KEYS);
    try {
      pool0.makeBucket(MakeBucketArgs.builder().bucket("h01-imaging").build());
    } catch (ErrorResponseException e) {
      // The leader's reconciler creates every dataset's bucket on every pool, maybe first.
      assertThat(e.errorResponse().code()).isEqualTo("BucketAlreadyOwnedByYou");
    }
    byte[] body = new byte[1_000_000];
    AtomicInteger written = new AtomicInteger();
    // Hospitals keep writing to pool-0 until both replicas forecast when site-1's hot tier fills.
    await("both replicas forecast a growing tier from what the hospitals wrote")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(java.time.Duration.ofMillis(700))
        .ignoreExceptions()
        .until(
            () -> {
              pool0.putObject(
                  PutObjectArgs.builder()
                      .bucket("h01-imaging")
                      .object("studies/" + written.incrementAndGet() + ".dcm")
                      .stream(new ByteArrayInputStream(body), body.length, -1)
                      .build());
              List<JsonNode> hot = new ArrayList<>();
              for (EmbeddedApp<?> replica : List.of(first, second)) {
                hot.add(planner.getJson(api(replica, "/capacity/forecast")).path("rows").get(0));
              }
              return hot;
            },
            hot ->
                hot.stream()
                    .allMatch(
                        row ->
                            row.path("daysUntilFull").isNumber()
                                && row.path("growthBytesPerDay").asDouble() > 0
                                && row.path("usedBytes").asLong() >= 2 * body.length));
    JsonNode forecast = planner.getJson(api(second, "/capacity/forecast"));
    assertThat(forecast.path("by").asText()).isEqualTo("site");
    assertThat(forecast.path("samples").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(forecast.path("historyError").isNull()).isTrue();
    JsonNode hot = forecast.path("rows").get(0);
    assertThat(hot.path("tier").asText()).isEqualTo("hot-nvme");
    assertThat(hot.path("site").asText()).isEqualTo("site-1");
    assertThat(hot.path("pools").asInt()).isEqualTo(2);
    assertThat(hot.path("poolsCounted").asInt()).isEqualTo(2);
    // Two pools of 1 GiB under a fill ceiling of 0.85.
    assertThat(hot.path("capacityBytes").asLong()).isEqualTo(2L << 30);
    assertThat(hot.path("limitBytes").asLong()).isEqualTo((long) Math.floor((2L << 30) * 0.85));
    long used = hot.path("usedBytes").asLong();
    // What the hospitals wrote, and the controllers' own small records in the system dataset.
    assertThat(used).isBetween(2L * body.length, (written.get() + 1L) * body.length);
    double days = hot.path("daysUntilFull").asDouble();
    assertThat(days)
        .isCloseTo(
            (hot.path("limitBytes").asLong() - used) / hot.path("growthBytesPerDay").asDouble(),
            org.assertj.core.data.Offset.offset(1e-6));

    // By pool: the growth is pool-0's; pool-1, empty, does not grow.
    JsonNode byPool = planner.getJson(api(first, "/capacity/forecast?by=pool"));
    JsonNode pool1 = null;
    for (JsonNode r : byPool.path("rows")) {
      if (r.path("pool").asText().equals("pool-1")) {
        pool1 = r;
      }
    }
    assertThat(pool1).isNotNull();
    assertThat(pool1.path("usedBytes").asLong()).isZero();
    assertThat(pool1.path("daysUntilFull").isNull()).isTrue();
    assertThat(byPool.path("rows").get(0).path("pool").asText()).isEqualTo("pool-0");

    // What if the hospitals wrote twice as fast, and a 1 GiB pool joined the tier at site-1?
    JsonNode whatIf =
        planner.getJson(api(first, "/capacity/forecast?growth=2&add=hot-nvme@site-1=1GiB"));
    JsonNode scenario = whatIf.path("rows").get(0);
    assertThat(scenario.path("capacityBytes").asLong()).isEqualTo(3L << 30);
    assertThat(scenario.path("limitBytes").asLong())
        .isEqualTo((long) Math.floor((3L << 30) * 0.85));
    assertThat(whatIf.path("scenario").path("growth").asDouble()).isEqualTo(2.0);

    // Exported for a spreadsheet.
    HttpResponse<String> csv = planner.fetch(api(first, "/capacity/forecast.csv?by=room"));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .get()
        .asString()
        .contains("strata-capacity-forecast-by-room.csv");
    assertThat(csv.body().split("\r\n")).hasSize(3);
    assertThat(csv.body()).startsWith("tier,site,room,pool,").contains("hot-nvme,site-1,room-0,,");

    // Reports with charts, read back as a planner's tools would.
    HttpResponse<byte[]> pdf = planner.fetchBytes(api(first, "/capacity/report.pdf"));
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).get().isEqualTo("application/pdf");
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Strata capacity forecast", "hot-nvme @ site-1", "limit ");
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
    }
    Path xlsx = dir.resolve("capacity.xlsx");
    ByteArrayOutputStream wrote = new ByteArrayOutputStream();
    assertThat(
            OperatorCli.run(
                new String[] {
                  "--url",
                  "http://127.0.0.1:" + first.port(),
                  "capacity",
                  "--growth",
                  "2",
                  "--report",
                  xlsx.toString()
                },
                new PrintStream(wrote, true),
                System.err,
                Map.of("STRATA_TOKEN", fleet.token(Roles.PLANNER))))
        .isZero();
    assertThat(wrote.toString()).startsWith("wrote " + xlsx);
    try (XSSFWorkbook wb = new XSSFWorkbook(java.nio.file.Files.newInputStream(xlsx))) {
      assertThat(wb.getSheet("Forecast").getRow(3).getCell(0).getStringCellValue())
          .isEqualTo("What if: growth 2.0 times the trend.");
      assertThat(wb.getSheet("History").getRow(0).getCell(1).getStringCellValue())
          .isEqualTo("hot-nvme @ site-1 (GiB used)");
      assertThat(wb.getSheet("History").getDrawingPatriarch().getCharts()).hasSize(1);
    }

    // Bad input is a 400 that says what is wrong, on every form of the forecast.
    for (String bad :
        new String[] {
          "/capacity/forecast?by=rack",
          "/capacity/forecast?growth=fast",
          "/capacity/forecast?add=hot-nvme@site-9=1TiB",
          "/capacity/forecast.csv?add=nonsense",
          "/capacity/report.pdf?by=pool&add=hot-nvme@site-1=1TiB",
          "/capacity/report.xlsx?growth=-1"
        }) {
      HttpResponse<String> refused = planner.fetch(api(first, bad));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.body()).as(bad).contains("\"code\":400");
    }
    assertThat(planner.fetch(api(first, "/capacity/forecast?add=hot-nvme@site-9=1TiB")).body())
        .contains("'site-9' is not a site of the map");

    // The command line, as a planner would run it.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        OperatorCli.run(
            new String[] {"--url", "http://127.0.0.1:" + second.port(), "capacity"},
            new PrintStream(out, true),
            System.err,
            Map.of("STRATA_TOKEN", fleet.token(Roles.PLANNER)));
    assertThat(status).isZero();
    String table = out.toString();
    assertThat(table).startsWith("Forecast by site from ");
    assertThat(table).contains("TIER", "FULL IN", "hot-nvme  site-1  2/2").contains(" days");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            OperatorCli.run(
                new String[] {
                  "--url", "http://127.0.0.1:" + second.port(), "capacity", "--by", "rack"
                },
                new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true),
                Map.of("STRATA_TOKEN", fleet.token(Roles.PLANNER))))
        .isEqualTo(1);
    assertThat(err.toString()).contains("400").contains("use site, room or pool");

    // The purchase plan: each tier's projection with its intervals, and racks of the configured
    // model; a what-if that names a site the map lacks is refused naming the field.
    JsonNode plan = planner.getJson(api(first, "/capacity/plan"));
    assertThat(plan.path("horizonDays").asInt()).isEqualTo(1095);
    JsonNode hotPlan = plan.path("groups").get(0);
    assertThat(hotPlan.path("tier").asText()).isEqualTo("hot-nvme");
    // The seeded week counts h99-imaging with its ages: its tier goes through its policy.
    assertThat(hotPlan.path("method").asText()).isEqualTo("policy-aware");
    assertThat(plan.path("datasets").toString()).isEqualTo("[\"h99-imaging (clinic)\"]");
    assertThat(hotPlan.path("points").get(0).path("upper95").asLong())
        .isGreaterThanOrEqualTo(hotPlan.path("points").get(0).path("mean").asLong());
    HttpResponse<String> badPlan =
        planner.postJson(
            api(first, "/capacity/plan"),
            "{\"addRacks\": [{\"tier\": \"hot-nvme\", \"site\": \"site-9\", \"racks\": 1}]}");
    assertThat(badPlan.statusCode()).isEqualTo(400);
    assertThat(badPlan.body()).contains("addRacks[0].site: 'site-9' is not a site of the map");
    HttpResponse<String> negative =
        planner.postJson(
            api(first, "/capacity/plan"),
            "{\"rackModels\": [{\"name\": \"r\", \"tier\": \"hot-nvme\", \"usable\": \"-1TB\"}]}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).contains("rackModels[0].usable: -1TB is not a capacity");
    ByteArrayOutputStream planOut = new ByteArrayOutputStream();
    assertThat(
            OperatorCli.run(
                new String[] {
                  "--url",
                  "http://127.0.0.1:" + second.port(),
                  "capacity",
                  "plan",
                  "--horizon-days",
                  "90",
                  "--add-racks",
                  "hot-nvme@site-1=2"
                },
                new PrintStream(planOut, true),
                System.err,
                Map.of("STRATA_TOKEN", fleet.token(Roles.PLANNER))))
        .isZero();
    assertThat(planOut.toString()).startsWith("Plan from ").contains("horizon 90 days", "hot-nvme");
    Path planPdf = dir.resolve("plan.pdf");
    assertThat(
            OperatorCli.run(
                new String[] {
                  "--url",
                  "http://127.0.0.1:" + first.port(),
                  "capacity",
                  "plan",
                  "--report",
                  planPdf.toString()
                },
                new PrintStream(new ByteArrayOutputStream(), true),
                System.err,
                Map.of("STRATA_TOKEN", fleet.token(Roles.PLANNER))))
        .isZero();
    try (PDDocument doc = Loader.loadPDF(java.nio.file.Files.readAllBytes(planPdf))) {
      assertThat(new PDFTextStripper().getText(doc))
          .contains("Strata capacity plan", "Purchase plan", "95% interval");
    }

    // The history a chart draws: thinned to the points asked, the newest sample kept.
    JsonNode thin = planner.getJson(api(first, "/capacity/history?points=2"));
    JsonNode series = thin.path("series").get(0);
    assertThat(series.path("tier").asText()).isEqualTo("hot-nvme");
    assertThat(thin.path("samples").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(series.path("at")).hasSize(2);
    assertThat(series.path("usedBytes")).hasSize(2);
    assertThat(series.path("usedBytes").get(1).asLong())
        .isGreaterThan(series.path("usedBytes").get(0).asLong());
    assertThat(planner.fetch(api(first, "/capacity/history?points=1")).statusCode()).isEqualTo(400);

    // The leader keeps the month's report in the system dataset; every replica serves it.
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    await("this month's reports kept")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> planner.getJson(api(second, "/capacity/reports")).toString(),
            kept ->
                kept.contains("\"" + month + ".pdf\"") && kept.contains("\"" + month + ".xlsx\""));
    HttpResponse<byte[]> kept =
        planner.fetchBytes(api(second, "/capacity/reports/" + month + ".pdf"));
    assertThat(kept.statusCode()).isEqualTo(200);
    try (PDDocument doc = Loader.loadPDF(kept.body())) {
      assertThat(new PDFTextStripper().getText(doc)).contains("Strata capacity forecast");
    }
    assertThat(planner.fetch(api(second, "/capacity/reports/1999-01.pdf")).statusCode())
        .isEqualTo(404);

    // The planner's console draws it beside each tier's forecast.
    try (Browser browser =
        new Browser(
            java.nio.file.Files.createDirectories(dir.resolve("chromium-profile")), "CapacityIT")) {
      browser.open("http://127.0.0.1:" + first.port() + "/login.html");
      browser.type("#user", Roles.PLANNER);
      browser.type("#password", fleet.password(Roles.PLANNER));
      browser.click("button[type=submit]");
      await("the console's line of the hot tier's use at site-1")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.page(),
              page ->
                  page.matches(
                          "(?s).*data-tier-site=\"hot-nvme@site-1\".*<svg [^>]*class=\"sparkline\".*"
                              + "<polyline points=\"0\\.0,[0-9.]+ [^\"]*120\\.0,[0-9.]+\".*")
                      && page.contains("data-kept=\"" + month + ".pdf\""));
    }

    // Prometheus sees it on either replica, for the alert on a tier filling within 90 days.
    for (EmbeddedApp<?> replica : new EmbeddedApp<?>[] {first, second}) {
      String metrics =
          fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + replica.port() + "/metrics").body();
      assertThat(metrics)
          .containsPattern(
              "strata_forecast_seconds_until_full\\{site=\"site-1\",tier=\"hot-nvme\"} [0-9.E+-]+\n");
      // And how fresh the history is, for the alert on one that stopped.
      assertThat(metrics).contains("strata_capacity_sample_interval_seconds 1.0\n");
      assertThat(metrics).containsPattern("strata_capacity_sample_age_seconds [0-9.E+-]+\n");
    }
  }
}
