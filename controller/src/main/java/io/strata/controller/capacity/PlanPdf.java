package io.strata.controller.capacity;

import io.strata.fleet.capacity.PurchasePlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A purchase plan as a PDF: what it was made from, each tier's fill date with its intervals, the
 * orders and the cost by quarter; then a chart per tier and site with capacity: the 95% and 80%
 * prediction bands, the projection, the plain trend and the limit stepping up as planned racks
 * arrive, every line clipped to the plot so that none leaves its frame. Standard fonts, Latin
 * characters only, as {@link CapacityPdf}.
 */
final class PlanPdf {
  private static final PDRectangle LANDSCAPE =
      new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  private static final float MARGIN = 40;

  private PlanPdf() {}

  static byte[] write(CapacityPlanner.PlanView view) throws IOException {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      Pages pdf =
          new Pages(
              doc,
              new PDType1Font(Standard14Fonts.FontName.HELVETICA),
              new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));
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
      int drawn = 0;
      for (CapacityPlanner.GroupView g : view.groups()) {
        if (g.status().equals("no-capacity") || g.points().size() < 2) {
          continue;
        }
        if (drawn % 2 == 0) {
          pdf.newPage();
        }
        float top =
            drawn % 2 == 0 ? LANDSCAPE.getHeight() - MARGIN : LANDSCAPE.getHeight() / 2 - 10;
        new PlanChart(pdf.cs, pdf.font, pdf.bold, MARGIN, LANDSCAPE.getWidth() - MARGIN)
            .draw(g, top, LANDSCAPE.getHeight() / 2 - MARGIN - 20);
        drawn++;
      }
      pdf.close();
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** A cursor over the pages of a document. */
  private static final class Pages {
    final PDDocument doc;
    final PDFont font;
    final PDFont bold;
    PDPageContentStream cs;
    float y;

    Pages(PDDocument doc, PDFont font, PDFont bold) {
      this.doc = doc;
      this.font = font;
      this.bold = bold;
    }

    void newPage() throws IOException {
      close();
      PDPage page = new PDPage(LANDSCAPE);
      doc.addPage(page);
      cs = new PDPageContentStream(doc, page);
      y = LANDSCAPE.getHeight() - MARGIN;
    }

    /** A new page when the next line would not fit, with the table's header again if given. */
    void roomFor(String[] header, float[] at) throws IOException {
      if (y < MARGIN + 16) {
        newPage();
        if (header != null) {
          row(bold, header, at);
        }
      }
    }

    void close() throws IOException {
      if (cs != null) {
        cs.close();
        cs = null;
      }
    }

    void text(PDFont f, float size, String line) throws IOException {
      y -= size + 4;
      PlanChart.text(cs, f, size, MARGIN, y, line);
    }

    void row(PDFont f, String[] cells, float[] at) throws IOException {
      y -= 13;
      for (int i = 0; i < cells.length; i++) {
        String cell = CapacityPdf.latin(cells[i]);
        float room = (i + 1 < at.length ? at[i + 1] - at[i] : 90) - 6;
        while (cell.length() > 1 && f.getStringWidth(cell) / 1000 * 9 > room) {
          cell = cell.substring(0, cell.length() - 1);
        }
        PlanChart.text(cs, f, 9, MARGIN + at[i], y, cell);
      }
    }
  }

  /** The y values a chart's scale must hold: every bound, trend point and limit. */
  static double max(List<CapacityPlanner.Point> points) {
    double max = 1;
    for (CapacityPlanner.Point p : points) {
      max = Math.max(max, Math.max(p.upper95(), Math.max(p.mean(), p.limit())));
    }
    return max;
  }
}
