package io.strata.controller.capacity;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawerDefaultFonts;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.Matrix;
import org.jfree.chart.JFreeChart;

/**
 * The pages of a report ({@link CapacityPdf}, {@link PlanPdf}, the durability ledger's) as a
 * cursor: lines of text, table rows, and charts two to a page. Landscape A4 in PDF's standard fonts
 * (Helvetica), which write Latin characters only: any other character of a name shows as {@code ?}.
 * A chart is drawn by JFreeChart into a form XObject through {@link PdfBoxGraphics2D}: vectors,
 * with its legend and tick labels as text in the same standard fonts.
 *
 * <p>Not thread-safe; one report at a time. {@link #save} closes the last page.
 */
public final class ReportPages implements AutoCloseable {
  static final PDRectangle LANDSCAPE =
      new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  static final float MARGIN = 40;

  /** Room a row's last column gets, in points. */
  private static final float LAST_COLUMN = 80;

  private final PDDocument doc = new PDDocument();
  public final PDFont font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  public final PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private PDPageContentStream cs;
  private int charts;

  /** Where the next line's baseline goes: it moves down the page as lines are written. */
  public float y;

  /** PDF's standard fonts encode WinAnsi only: anything else is written as '?'. */
  static String latin(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  public void newPage() throws IOException {
    closePage();
    PDPage page = new PDPage(LANDSCAPE);
    doc.addPage(page);
    cs = new PDPageContentStream(doc, page);
    y = LANDSCAPE.getHeight() - MARGIN;
  }

  /** A new page when the next line would not fit, with the table's header again if given. */
  public void roomFor(String[] header, float[] at) throws IOException {
    if (y < MARGIN + 16) {
      newPage();
      if (header != null) {
        row(bold, header, at);
      }
    }
  }

  /** A line at the margin, below the one before. */
  public void text(PDFont f, float size, String line) throws IOException {
    y -= size + 4;
    at(f, size, MARGIN, y, line);
  }

  /** {@code text} with its baseline starting at ({@code x}, {@code atY}). */
  void at(PDFont f, float size, float x, float atY, String text) throws IOException {
    cs.beginText();
    cs.setFont(f, size);
    cs.newLineAtOffset(x, atY);
    cs.showText(latin(text));
    cs.endText();
  }

  /** A table row: cell {@code i} at {@code at[i]} from the margin, cut to its column. */
  public void row(PDFont f, String[] cells, float[] at) throws IOException {
    y -= 13;
    for (int i = 0; i < cells.length; i++) {
      String cell = latin(cells[i]);
      float room = (i + 1 < at.length ? at[i + 1] - at[i] : LAST_COLUMN) - 6;
      while (cell.length() > 1 && f.getStringWidth(cell) / 1000 * 9 > room) {
        cell = cell.substring(0, cell.length() - 1);
      }
      at(f, 9, MARGIN + at[i], y, cell);
    }
  }

  /**
   * {@code chart} in the next half page, the first of a pair on a new page: {@code title} above it
   * on the left, {@code summary} on the right.
   */
  void chart(String title, String summary, JFreeChart chart) throws IOException {
    if (charts % 2 == 0) {
      newPage();
    }
    float top = charts % 2 == 0 ? LANDSCAPE.getHeight() - MARGIN : LANDSCAPE.getHeight() / 2 - 10;
    float height = LANDSCAPE.getHeight() / 2 - MARGIN - 20;
    float width = LANDSCAPE.getWidth() - 2 * MARGIN;
    charts++;
    at(bold, 11, MARGIN, top - 12, title);
    if (summary != null) {
      float size = 9;
      String shown = latin(summary);
      at(font, size, MARGIN + width - font.getStringWidth(shown) / 1000 * size, top - 12, shown);
    }
    float chartHeight = height - 18;
    PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, width, chartHeight);
    // Text as text in the standard fonts, so that it can be read, searched and copied.
    g.setFontTextDrawer(new PdfBoxGraphics2DFontTextDrawerDefaultFonts());
    try {
      chart.draw(g, new Rectangle2D.Double(0, 0, width, chartHeight));
    } finally {
      g.dispose();
    }
    PDFormXObject form = g.getXFormObject();
    cs.saveGraphicsState();
    cs.transform(Matrix.getTranslateInstance(MARGIN, top - height));
    cs.drawForm(form);
    cs.restoreGraphicsState();
  }

  /** The document, every page closed. */
  public byte[] save() throws IOException {
    closePage();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.save(out);
    return out.toByteArray();
  }

  private void closePage() throws IOException {
    if (cs != null) {
      cs.close();
      cs = null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      closePage();
    } finally {
      doc.close();
    }
  }
}
