package io.strata.controller.capacity;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * One tier at one site's projection, drawn as vectors into a PDF page: the 95% band (light), the
 * 80% band (darker), the projection, the plain trend (dashed) and the limit with the planned racks
 * (red, dashed), with a legend and five ticks on each axis. The scale holds the bands, the
 * projection and the limit; the trend may leave it and is cut at the plot's frame, as every line
 * is.
 */
final class PlanChart {
  private final PDPageContentStream cs;
  private final PDFont font;
  private final PDFont bold;
  private final float left;
  private final float right;

  PlanChart(PDPageContentStream cs, PDFont font, PDFont bold, float margin, float pageRight) {
    this.cs = cs;
    this.font = font;
    this.bold = bold;
    this.left = margin + 60;
    this.right = pageRight - 10;
  }

  static void text(PDPageContentStream cs, PDFont f, float size, float x, float y, String text)
      throws IOException {
    cs.beginText();
    cs.setFont(f, size);
    cs.newLineAtOffset(x, y);
    cs.showText(CapacityPdf.latin(text));
    cs.endText();
  }

  void draw(CapacityPlanner.GroupView g, float top, float height) throws IOException {
    List<CapacityPlanner.Point> points = g.points();
    float bottom = top - height + 40;
    float plotTop = top - 22;
    text(cs, bold, 11, left - 60, top - 12, PlanReport.label(g) + ": " + PlanReport.standing(g));
    double max = PlanPdf.max(points) * 1.05;
    long first = points.get(0).day().toEpochDay();
    long span = Math.max(1, points.get(points.size() - 1).day().toEpochDay() - first);
    Scale s = new Scale(left, right, bottom, plotTop, first, span, max);

    // Axes and ticks.
    cs.setStrokingColor(0.4f, 0.4f, 0.4f);
    cs.setLineWidth(0.5f);
    cs.moveTo(left, bottom);
    cs.lineTo(right, bottom);
    cs.moveTo(left, bottom);
    cs.lineTo(left, plotTop);
    cs.stroke();
    for (int k = 0; k <= 4; k++) {
      double v = max * k / 4;
      float y = s.y(v);
      cs.moveTo(left - 3, y);
      cs.lineTo(left, y);
      cs.stroke();
      text(cs, font, 7, left - 58, y - 2, PlanReport.size(Math.round(v)));
      int index = (int) Math.round((points.size() - 1) * k / 4.0);
      float x = s.x(points.get(index).day().toEpochDay());
      cs.moveTo(x, bottom);
      cs.lineTo(x, bottom - 3);
      cs.stroke();
      text(
          cs,
          font,
          7,
          Math.min(x - 18, right - 40),
          bottom - 11,
          points.get(index).day().toString());
    }

    cs.saveGraphicsState();
    cs.addRect(left, bottom, right - left, plotTop - bottom);
    cs.clip();
    band(s, points, true, 0.85f);
    band(s, points, false, 0.7f);
    line(s, points, 0, 0.1f, 0.3f, 0.8f, null, 1.2f);
    line(s, points, 1, 0.3f, 0.3f, 0.3f, new float[] {2, 2}, 0.8f);
    line(s, points, 2, 0.8f, 0.1f, 0.1f, new float[] {4, 3}, 0.8f);
    cs.restoreGraphicsState();

    // Legend.
    float ly = bottom - 26;
    float lx = left;
    String[] names = {"95% interval", "80% interval", "projection", "plain trend", "limit + racks"};
    float[][] colours = {
      {0.85f, 0.9f, 1f},
      {0.7f, 0.8f, 1f},
      {0.1f, 0.3f, 0.8f},
      {0.3f, 0.3f, 0.3f},
      {0.8f, 0.1f, 0.1f}
    };
    for (int i = 0; i < names.length; i++) {
      cs.setNonStrokingColor(colours[i][0], colours[i][1], colours[i][2]);
      cs.addRect(lx, ly, 10, 6);
      cs.fill();
      cs.setNonStrokingColor(0f, 0f, 0f);
      text(cs, font, 7, lx + 13, ly, names[i]);
      lx += 100;
    }
    cs.setStrokingColor(0f, 0f, 0f);
  }

  /** A band between the 95% (or 80%) bounds, filled. */
  private void band(Scale s, List<CapacityPlanner.Point> points, boolean wide, float shade)
      throws IOException {
    cs.setNonStrokingColor(shade, shade + (1 - shade) * 0.3f, 1f);
    for (int i = 0; i < points.size(); i++) {
      CapacityPlanner.Point p = points.get(i);
      float x = s.x(p.day().toEpochDay());
      float y = s.y(wide ? p.upper95() : p.upper80());
      if (i == 0) {
        cs.moveTo(x, y);
      } else {
        cs.lineTo(x, y);
      }
    }
    for (int i = points.size() - 1; i >= 0; i--) {
      CapacityPlanner.Point p = points.get(i);
      cs.lineTo(s.x(p.day().toEpochDay()), s.y(wide ? p.lower95() : p.lower80()));
    }
    cs.closePath();
    cs.fill();
  }

  /** The projection (0), the trend (1) or the limit (2) as a line. */
  private void line(
      Scale s,
      List<CapacityPlanner.Point> points,
      int which,
      float r,
      float g,
      float b,
      float[] dash,
      float width)
      throws IOException {
    cs.setStrokingColor(r, g, b);
    cs.setLineWidth(width);
    cs.setLineDashPattern(dash == null ? new float[] {} : dash, 0);
    for (int i = 0; i < points.size(); i++) {
      CapacityPlanner.Point p = points.get(i);
      long v = which == 0 ? p.mean() : which == 1 ? p.trend() : p.limit();
      float x = s.x(p.day().toEpochDay());
      float y = s.y(v);
      if (i == 0) {
        cs.moveTo(x, y);
      } else {
        cs.lineTo(x, y);
      }
    }
    cs.stroke();
    cs.setLineDashPattern(new float[] {}, 0);
  }

  /** Days and bytes to page coordinates. */
  private record Scale(
      float left, float right, float bottom, float top, long firstDay, long span, double max) {
    float x(long day) {
      return left + (right - left) * (day - firstDay) / (float) span;
    }

    /** Far outside values are held a little beyond the frame, which the clip cuts. */
    float y(double v) {
      double y = bottom + (top - bottom) * v / max;
      return (float) Math.max(bottom - 1000, Math.min(top + 1000, y));
    }
  }
}
