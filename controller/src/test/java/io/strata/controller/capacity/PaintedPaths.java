package io.strata.controller.capacity;

import java.awt.Color;
import java.awt.geom.GeneralPath;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.color.PDColor;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;

/**
 * What a page paints as vectors, its form XObjects included: every filled or stroked path with its
 * colour, its extent and the clip it was painted under, in the page's space (y grows upwards).
 */
final class PaintedPaths extends PDFGraphicsStreamEngine {
  /** A path as painted: {@link #visible} is what of it the clip lets through. */
  record Painted(boolean filled, int rgb, Rectangle2D bounds, Rectangle2D clip) {
    Rectangle2D visible() {
      return bounds.createIntersection(clip);
    }

    boolean is(Color colour) {
      return rgb == (colour.getRGB() & 0xFFFFFF);
    }
  }

  /** The charts' plot frames: the rectangles filled with the plot's background. */
  static List<Rectangle2D> frames(List<Painted> painted) {
    return painted.stream()
        .filter(p -> p.filled() && p.is(ReportCharts.PLOT_BACKGROUND))
        .map(Painted::bounds)
        .toList();
  }

  /** Whether what shows of {@code p} lies within {@code frame}, give or take half a point. */
  static boolean within(Painted p, Rectangle2D frame) {
    Rectangle2D v = p.visible();
    return v.getMinX() >= frame.getMinX() - 0.5
        && v.getMaxX() <= frame.getMaxX() + 0.5
        && v.getMinY() >= frame.getMinY() - 0.5
        && v.getMaxY() <= frame.getMaxY() + 0.5;
  }

  /** A legend's key: a small box or line below {@code frame}. */
  static boolean legendKey(Painted p, Rectangle2D frame) {
    Rectangle2D b = p.bounds();
    return b.getWidth() <= 20 && b.getHeight() <= 8 && b.getMaxY() < frame.getMinY();
  }

  /**
   * What is painted in one of {@code colours} and shows outside every plot's frame, other than a
   * legend's key: nothing, when every series is cut at its frame.
   */
  static List<Painted> strays(List<Painted> painted, List<Color> colours) {
    List<Rectangle2D> frames = frames(painted);
    return painted.stream()
        .filter(p -> colours.stream().anyMatch(p::is))
        .filter(p -> frames.stream().noneMatch(f -> within(p, f) || legendKey(p, f)))
        .toList();
  }

  private final List<Painted> painted = new ArrayList<>();
  private final GeneralPath path = new GeneralPath();
  private int clipRule = -1;
  private int images;

  private PaintedPaths(PDPage page) {
    super(page);
  }

  /** Everything {@code page} paints, in order. */
  static List<Painted> of(PDPage page) throws IOException {
    PaintedPaths engine = new PaintedPaths(page);
    engine.processPage(page);
    if (engine.images > 0) {
      throw new AssertionError(engine.images + " images on a page drawn as vectors");
    }
    return engine.painted;
  }

  private void paint(boolean filled) throws IOException {
    PDColor colour =
        filled ? getGraphicsState().getNonStrokingColor() : getGraphicsState().getStrokingColor();
    painted.add(
        new Painted(
            filled,
            colour.toRGB() & 0xFFFFFF,
            path.getBounds2D(),
            getGraphicsState().getCurrentClippingPath().getBounds2D()));
    endPath();
  }

  @Override
  public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
    path.moveTo(p0.getX(), p0.getY());
    path.lineTo(p1.getX(), p1.getY());
    path.lineTo(p2.getX(), p2.getY());
    path.lineTo(p3.getX(), p3.getY());
    path.closePath();
  }

  @Override
  public void drawImage(PDImage pdImage) {
    images++;
  }

  @Override
  public void clip(int windingRule) {
    clipRule = windingRule;
  }

  @Override
  public void moveTo(float x, float y) {
    path.moveTo(x, y);
  }

  @Override
  public void lineTo(float x, float y) {
    path.lineTo(x, y);
  }

  @Override
  public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
    path.curveTo(x1, y1, x2, y2, x3, y3);
  }

  @Override
  public Point2D getCurrentPoint() {
    return path.getCurrentPoint();
  }

  @Override
  public void closePath() {
    path.closePath();
  }

  @Override
  public void endPath() {
    if (clipRule >= 0) {
      path.setWindingRule(clipRule);
      getGraphicsState().intersectClippingPath(path);
      clipRule = -1;
    }
    path.reset();
  }

  @Override
  public void strokePath() throws IOException {
    paint(false);
  }

  @Override
  public void fillPath(int windingRule) throws IOException {
    paint(true);
  }

  @Override
  public void fillAndStrokePath(int windingRule) throws IOException {
    paint(true);
  }

  @Override
  public void shadingFill(COSName shadingName) {}
}
