package io.strata.controller.capacity;

import io.strata.controller.security.Roles;
import io.strata.fleet.capacity.CapacityCsv;
import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.topology.ByteSize;
import io.strata.topology.ClusterMap;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /api/v1/capacity}: when each tier fills, by site, room or pool, from the capacity history;
 * with a what-if scenario (growth multiplied, capacity added); as JSON, exported as CSV, or as a
 * report with charts (XLSX, PDF).
 */
@RolesAllowed({Roles.PLANNER})
@Path("/v1/capacity")
public class CapacityResource {
  private final CapacityHistory history;
  private final MonthlyReports monthly;
  private final Supplier<ClusterMap> map;
  private final Clock clock;

  public CapacityResource(
      CapacityHistory history, MonthlyReports monthly, Supplier<ClusterMap> map, Clock clock) {
    this.history = history;
    this.monthly = monthly;
    this.map = map;
    this.clock = clock;
  }

  /**
   * A forecast.
   *
   * @param at when it was made
   * @param by what each row groups: site, room or pool
   * @param window how far back the trend is fitted ({@code 30 days})
   * @param sampleInterval how often the leader samples the fleet ({@code 1 hour})
   * @param samples samples in the window
   * @param from the oldest of them; null when there is none
   * @param to the newest; null when there is none
   * @param scenario the what-if; growth 1 and no additions for the trend as it is
   * @param historyError why the history could not be read or written at its last round; null when
   *     it could
   * @param rows soonest full first
   */
  public record ForecastView(
      Instant at,
      String by,
      String window,
      String sampleInterval,
      int samples,
      Instant from,
      Instant to,
      CapacityForecast.Scenario scenario,
      String historyError,
      List<CapacityForecast.Row> rows) {}

  /** The query of every form of the forecast: its grouping and its what-if. */
  public static class Query {
    /** Site (default), room or pool. */
    @QueryParam("by")
    @DefaultValue("site")
    String by;

    /** A factor on the trend's growth, 0 or more; default 1. */
    @QueryParam("growth")
    @DefaultValue("1")
    String growth;

    /** Capacity added, {@code TIER@SITE=SIZE} ({@code hot-nvme@site-a=2PiB}); by site only. */
    @QueryParam("add")
    List<String> add;
  }

  /** 200 with the forecast; 400 when a parameter cannot be used. */
  @GET
  @Path("/forecast")
  @Produces(MediaType.APPLICATION_JSON)
  public ForecastView forecast(@BeanParam Query query) {
    return view(
        history, history.samples(), map.get(), clock.instant(), query.by, query.growth, query.add);
  }

  /**
   * The forecast of {@code samples}, read from {@code history} once by the caller so that a
   * report's table and charts show the same samples, on {@code map} at {@code now}, by and with the
   * scenario given as the query writes them.
   *
   * @throws IllegalArgumentException naming the parameter that cannot be used
   */
  static ForecastView view(
      CapacityHistory history,
      List<CapacitySample> samples,
      ClusterMap map,
      Instant now,
      String by,
      String growth,
      List<String> add) {
    CapacityForecast.Grouping grouping = CapacityForecast.Grouping.parse(by);
    CapacityForecast.Scenario scenario =
        new CapacityForecast.Scenario(factor(growth), additions(add));
    List<CapacityForecast.Row> rows =
        CapacityForecast.forecast(map, samples, now, history.window(), grouping, scenario);
    return new ForecastView(
        now,
        grouping.label(),
        human(history.window()),
        human(history.interval()),
        samples.size(),
        samples.isEmpty() ? null : samples.get(0).at(),
        samples.isEmpty() ? null : samples.get(samples.size() - 1).at(),
        scenario,
        history.lastError().orElse(null),
        rows);
  }

  /**
   * A report kept in the system dataset.
   *
   * @param name {@code YYYY-MM.pdf} or {@code YYYY-MM.xlsx}: the month it was made in
   * @param bytes its size
   * @param madeAt when it was written
   */
  public record KeptReport(String name, long bytes, Instant madeAt) {}

  /** 200: the monthly reports kept in the system dataset, newest first. */
  @GET
  @Path("/reports")
  @Produces(MediaType.APPLICATION_JSON)
  public List<KeptReport> reports() {
    return monthly.list().stream()
        .map(
            o ->
                new KeptReport(
                    o.key().substring(MonthlyReports.PREFIX.length()), o.bytes(), o.lastModified()))
        .toList();
  }

  /** 200: a kept report, as it was written; 404 for a name no pool has. */
  @GET
  @Path("/reports/{name}")
  @Produces({XLSX, PDF})
  public Response keptReport(@jakarta.ws.rs.PathParam("name") String name) {
    byte[] body =
        monthly
            .read(name)
            .orElseThrow(
                () ->
                    new jakarta.ws.rs.NotFoundException("no capacity report " + name + " is kept"));
    return Response.ok(body, name.endsWith(".pdf") ? PDF : XLSX)
        .header("Content-Disposition", "attachment; filename=\"strata-capacity-" + name + "\"")
        .build();
  }

  /**
   * One tier's use at one site over the window.
   *
   * @param at the samples' times, oldest first
   * @param usedBytes the use at each
   */
  public record SeriesView(String tier, String site, List<Instant> at, long[] usedBytes) {}

  /**
   * @param window how far back the history goes
   * @param samples samples in the window
   * @param series each tier at each site, in map order
   */
  public record HistoryView(String window, int samples, List<SeriesView> series) {}

  /**
   * 200: each tier's use at each site over the window (a pool missing from a sample counted at its
   * last use), thinned to at most {@code points} evenly spaced samples, the newest always among
   * them; 400 for a {@code points} below 2.
   */
  @GET
  @Path("/history")
  @Produces(MediaType.APPLICATION_JSON)
  public HistoryView history(@QueryParam("points") @DefaultValue("200") int points) {
    if (points < 2) {
      throw new IllegalArgumentException("points: " + points + " is fewer than 2");
    }
    List<CapacitySample> samples = history.samples();
    List<SeriesView> out = new java.util.ArrayList<>();
    for (CapacitySeries s : CapacitySeries.of(map.get(), samples, history.window())) {
      int n = s.at().size();
      int kept = Math.min(n, points);
      List<Instant> at = new java.util.ArrayList<>(kept);
      long[] used = new long[kept];
      for (int i = 0; i < kept; i++) {
        // Evenly spaced, from the oldest to the newest.
        int from = kept == 1 ? n - 1 : (int) Math.round(i * (n - 1) / (double) (kept - 1));
        at.add(s.at().get(from));
        used[i] = s.used()[from];
      }
      out.add(new SeriesView(s.tier(), s.site(), at, used));
    }
    return new HistoryView(human(history.window()), samples.size(), out);
  }

  /** The same forecast as CSV, one row per group, for spreadsheets: 200 or 400. */
  @GET
  @Path("/forecast.csv")
  @Produces("text/csv")
  public Response forecastCsv(@BeanParam Query query) {
    ForecastView view = forecast(query);
    return Response.ok(CapacityCsv.write(view.rows()), "text/csv; charset=utf-8")
        .header(
            "Content-Disposition",
            "attachment; filename=\"strata-capacity-forecast-by-" + view.by() + ".csv\"")
        .build();
  }

  /** A duration as a planner writes it: {@code 30 days}, {@code 1 hour}, {@code 90 seconds}. */
  static String human(Duration d) {
    long seconds = d.toSeconds();
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"day", "hour", "minute", "second"};
    for (int i = 0; i < sizes.length; i++) {
      if (seconds % sizes[i] == 0 && (seconds >= sizes[i] || i == sizes.length - 1)) {
        long n = seconds / sizes[i];
        return n + " " + units[i] + (n == 1 ? "" : "s");
      }
    }
    throw new IllegalStateException("every whole number of seconds is a number of seconds");
  }

  /**
   * The forecast as a workbook: the forecast, and each tier's use at each site over the window with
   * a line chart of it. 200 or 400.
   */
  @GET
  @Path("/report.xlsx")
  @Produces(XLSX)
  public Response reportXlsx(@BeanParam Query query) throws java.io.IOException {
    return report("xlsx", query);
  }

  /**
   * The forecast as a PDF: the forecast as a table, then a chart per tier and site of its use, its
   * limit and its trend. 200 or 400.
   */
  @GET
  @Path("/report.pdf")
  @Produces(PDF)
  public Response reportPdf(@BeanParam Query query) throws java.io.IOException {
    return report("pdf", query);
  }

  private Response report(String format, Query query) throws java.io.IOException {
    List<CapacitySample> samples = history.samples();
    ClusterMap current = map.get();
    ForecastView view =
        view(history, samples, current, clock.instant(), query.by, query.growth, query.add);
    List<CapacitySeries> series = CapacitySeries.of(current, samples, history.window());
    boolean xlsx = format.equals("xlsx");
    byte[] body = xlsx ? CapacityWorkbook.write(view, series) : CapacityPdf.write(view, series);
    return Response.ok(body, xlsx ? XLSX : PDF)
        .header(
            "Content-Disposition",
            "attachment; filename=\"strata-capacity-report-by-" + view.by() + "." + format + "\"")
        .build();
  }

  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static final String PDF = "application/pdf";

  /** The growth factor as written; {@link CapacityForecast} says whether it can be used. */
  static double factor(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "growth: '" + text + "' is not a number (1 keeps the trend, 1.5 is 50% faster)", e);
    }
  }

  static List<CapacityForecast.Addition> additions(List<String> add) {
    List<CapacityForecast.Addition> out = new ArrayList<>();
    for (String a : add == null ? List.<String>of() : add) {
      int at = a.indexOf('@');
      int eq = a.indexOf('=', Math.max(at, 0));
      if (at <= 0 || eq <= at + 1 || eq == a.length() - 1) {
        throw new IllegalArgumentException(
            "add: '" + a + "' is not TIER@SITE=SIZE, such as hot-nvme@site-a=2PiB");
      }
      long bytes;
      try {
        bytes = ByteSize.parse(a.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("add: " + e.getMessage(), e);
      }
      out.add(
          new CapacityForecast.Addition(
              a.substring(0, at).trim(), a.substring(at + 1, eq).trim(), bytes));
    }
    return out;
  }
}
