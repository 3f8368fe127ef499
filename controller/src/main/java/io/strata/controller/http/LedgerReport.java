package io.strata.controller.http;

import io.strata.controller.capacity.ReportPages;
import io.strata.controller.reconcile.Reconciler;
import io.strata.fleet.capacity.CapacityCsv;
import io.strata.fleet.ledger.DurabilityLedger;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durability ledger of one dataset as a hospital is given it: a CSV with a line per copy (the
 * object, its study where a header was read, the pool, site and room, size, SHA-256 marker, when it
 * was last verified by content, whether within 30 days, whether a scrub found it wrong), and a PDF
 * with the dataset's figures, its copies by site and room, and the copies not verified within 30
 * days or found wrong. Both come from the leader's last scans; keys and study UIDs are written,
 * never a PatientID (only its keyed hash is ever read, and neither report carries it).
 */
final class LedgerReport {
  /** The CSV's header line. */
  static final String CSV_HEADER =
      "key,study,pool,site,room,size_bytes,sha256,verified_at,verified_within_30d,wrong";

  /** Copies listed at most in each of the PDF's two exception tables; the rest are counted. */
  static final int PDF_ROWS = 200;

  private LedgerReport() {}

  /** Writes the CSV, one copy at a time: nothing but the shard at hand is held. */
  static void csv(Reconciler reconciler, String dataset, Instant now, OutputStream stream)
      throws IOException {
    Writer out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
    out.write(CSV_HEADER);
    out.write("\r\n");
    try {
      reconciler.forEachCopy(
          dataset,
          o -> true,
          (o, c) -> {
            try {
              out.write(
                  String.join(
                      ",",
                      CapacityCsv.field(c.key()),
                      CapacityCsv.field(o.dicom() == null ? "" : o.dicom().studyInstanceUid()),
                      CapacityCsv.field(c.pool()),
                      CapacityCsv.field(c.site()),
                      CapacityCsv.field(c.room()),
                      Long.toString(o.size()),
                      CapacityCsv.field(o.sha256()),
                      c.verifiedAt() == null ? "" : c.verifiedAt().toString(),
                      Boolean.toString(DurabilityLedger.verifiedWithin(c, now)),
                      Boolean.toString(c.wrong())));
              out.write("\r\n");
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }

  /** The PDF. */
  static byte[] pdf(
      Reconciler reconciler, DurabilityLedger.Dataset d, Instant verificationsSince, Instant now)
      throws IOException {
    List<String[]> unverified = new ArrayList<>();
    List<String[]> wrong = new ArrayList<>();
    long[] more = {0, 0};
    reconciler.forEachCopy(
        d.dataset(),
        o -> true,
        (o, c) -> {
          String[] row = {
            c.key(),
            o.dicom() == null || o.dicom().studyInstanceUid() == null
                ? "-"
                : o.dicom().studyInstanceUid(),
            c.pool(),
            c.site() + " / " + c.room(),
            c.verifiedAt() == null ? "never, as this leader knows" : c.verifiedAt().toString()
          };
          if (c.wrong()) {
            if (wrong.size() < PDF_ROWS) {
              wrong.add(row);
            } else {
              more[1]++;
            }
          } else if (!DurabilityLedger.verifiedWithin(c, now)) {
            if (unverified.size() < PDF_ROWS) {
              unverified.add(row);
            } else {
              more[0]++;
            }
          }
        });
    try (ReportPages pdf = new ReportPages()) {
      pdf.newPage();
      pdf.text(pdf.bold, 16, "Strata durability ledger: " + d.dataset());
      pdf.text(pdf.font, 9, "Made " + now + " from the leader's last scans of every pool.");
      pdf.text(
          pdf.font,
          9,
          "The leader has led since "
              + verificationsSince
              + "; the times of verification are kept across leader changes.");
      pdf.y -= 8;
      float[] two = {0, 260};
      pdf.row(pdf.bold, new String[] {"figure", "value"}, two);
      for (String[] r :
          new String[][] {
            {"objects", Long.toString(d.objects())},
            {"copies", Long.toString(d.copies())},
            {"copies verified by content within 30 days", Long.toString(d.verifiedWithin30d())},
            {"copies found wrong, not repaired yet", Long.toString(d.wrong())},
            {"verified share", String.format(java.util.Locale.ROOT, "%.4f", d.verifiedRatio())}
          }) {
        pdf.row(pdf.font, r, two);
      }
      table(pdf, "Copies by site", "site", d.copiesBySite());
      table(pdf, "Copies by room", "room", d.copiesByRoom());
      exceptions(pdf, "Copies not verified by content within 30 days", unverified, more[0]);
      exceptions(pdf, "Copies a scrub found wrong (being repaired)", wrong, more[1]);
      return pdf.save();
    }
  }

  private static void table(ReportPages pdf, String title, String what, Map<String, Long> counts)
      throws IOException {
    pdf.y -= 8;
    pdf.roomFor(null, null);
    pdf.text(pdf.bold, 11, title);
    float[] two = {0, 260};
    String[] header = {what, "copies"};
    pdf.row(pdf.bold, header, two);
    for (var e : new java.util.TreeMap<>(counts).entrySet()) {
      pdf.roomFor(header, two);
      pdf.row(pdf.font, new String[] {e.getKey(), Long.toString(e.getValue())}, two);
    }
  }

  private static void exceptions(ReportPages pdf, String title, List<String[]> rows, long more)
      throws IOException {
    pdf.y -= 8;
    pdf.roomFor(null, null);
    pdf.text(pdf.bold, 11, title + ": " + (rows.size() + more));
    if (rows.isEmpty()) {
      pdf.text(pdf.font, 9, "None.");
      return;
    }
    String[] header = {"key", "study", "pool", "site / room", "last verified"};
    float[] at = {0, 200, 400, 500, 640};
    pdf.row(pdf.bold, header, at);
    for (String[] r : rows) {
      pdf.roomFor(header, at);
      pdf.row(pdf.font, r, at);
    }
    if (more > 0) {
      pdf.text(pdf.font, 9, "... and " + more + " more: the CSV lists every copy.");
    }
  }
}
