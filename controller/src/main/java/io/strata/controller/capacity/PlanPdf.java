package io.strata.controller.capacity;

import io.strata.fleet.capacity.PurchasePlan;
import java.io.IOException;
import java.util.Map;

/**
 * A purchase plan as a PDF: what it was made from, each tier's fill date with its intervals, the
 * orders and the cost by quarter; then a chart per tier and site with capacity: the 95% and 80%
 * prediction bands, the projection, the plain trend and the limit stepping up as planned racks
 * arrive ({@link ReportCharts#projection}). A tier at a site with no usable capacity has no chart:
 * the fill dates say so, and why.
 */
final class PlanPdf {
  private PlanPdf() {}

  static byte[] write(CapacityPlanner.PlanView view) throws IOException {
    try (ReportPages pdf = new ReportPages()) {
      pdf.newPage();
      pdf.text(pdf.bold, 16, "Strata capacity plan");
      for (String line : PlanReport.heading(view)) {
        pdf.text(pdf.font, 9, line);
      }
      pdf.y -= 8;
      pdf.text(pdf.bold, 11, "Fill dates");
      String[] fillColumns = {
        "tier @ site", "used", "limit", "stands", "95% interval", "80% interval", "trend full on"
      };
      float[] fillAt = {0, 130, 200, 270, 440, 590, 700};
      pdf.row(pdf.bold, fillColumns, fillAt);
      for (CapacityPlanner.GroupView g : view.groups()) {
        pdf.roomFor(fillColumns, fillAt);
        pdf.row(
            pdf.font,
            new String[] {
              PlanReport.label(g),
              PlanReport.size(g.usedBytes()),
              PlanReport.size(g.limitBytes()),
              PlanReport.standing(g),
              PlanReport.interval(g.fullOn95()),
              PlanReport.interval(g.fullOn80()),
              g.trendFullOn() == null ? "-" : g.trendFullOn().toString()
            },
            fillAt);
      }
      pdf.y -= 8;
      pdf.roomFor(null, null);
      pdf.text(pdf.bold, 11, "Purchase plan");
      String[] orderColumns = {
        "order by", "needed by", "tier @ site", "model", "racks", "adds", "cost", "power kW"
      };
      float[] orderAt = {0, 80, 160, 300, 420, 470, 560, 650};
      pdf.row(pdf.bold, orderColumns, orderAt);
      for (PurchasePlan.Order o : view.plan().orders()) {
        pdf.roomFor(orderColumns, orderAt);
        pdf.row(
            pdf.font,
            new String[] {
              o.orderBy() + (o.late() ? " (late)" : ""),
              o.neededBy().toString(),
              o.tier() + " @ " + (o.site() == null ? "-" : o.site()),
              o.model(),
              Integer.toString(o.racks()),
              PlanReport.size(o.addedBytes()),
              PlanReport.money(o.cost()),
              String.format(java.util.Locale.ROOT, "%.1f", o.powerKw())
            },
            orderAt);
      }
      if (view.plan().orders().isEmpty()) {
        pdf.text(pdf.font, 9, "No rack to order within the horizon.");
      }
      for (PurchasePlan.Unplanned u : view.plan().unplanned()) {
        pdf.roomFor(null, null);
        pdf.text(
            pdf.font,
            9,
            "Not planned: "
                + u.tier()
                + " @ "
                + (u.site() == null ? "-" : u.site())
                + ": "
                + u.reason());
      }
      pdf.y -= 8;
      pdf.roomFor(null, null);
      pdf.text(pdf.bold, 11, "Cost by quarter");
      for (Map.Entry<String, Double> q : view.plan().costByQuarter().entrySet()) {
        pdf.roomFor(null, null);
        pdf.text(pdf.font, 9, q.getKey() + ": " + PlanReport.money(q.getValue()));
      }
      for (CapacityPlanner.GroupView g : view.groups()) {
        if (!g.status().equals("no-capacity") && g.points().size() >= 2) {
          pdf.chart(
              PlanReport.label(g) + ": " + PlanReport.standing(g),
              null,
              ReportCharts.projection(g));
        }
      }
      return pdf.save();
    }
  }
}
