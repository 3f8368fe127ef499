package io.strata.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real DICOM files for the demo's hospitals and the tests of the agents and the system, written by
 * dcmtk's {@code dump2dcm} from a text dump: synthetic patients only (every name is {@code
 * Synthetic^Patient}). The transfer syntax is an option of dump2dcm ({@code +te}, {@code +ti},
 * {@code +tb}, {@code +td}).
 */
public final class DicomFiles {
  /** Explicit VR little endian. */
  public static final String EXPLICIT_LE = "+te";

  /** Implicit VR little endian. */
  public static final String IMPLICIT_LE = "+ti";

  /** Explicit VR big endian (retired, still found in old archives). */
  public static final String EXPLICIT_BE = "+tb";

  /** Deflated explicit VR little endian. */
  public static final String DEFLATED = "+td";

  private final Path dir;
  private int written;

  public DicomFiles(Path dir) {
    this.dir = dir;
  }

  /** One instance of a study, as a PACS exports it. */
  public record Instance(
      String sopClass,
      String modality,
      String studyDate,
      String patientId,
      String studyUid,
      String seriesUid,
      int pixelBytes) {

    /** A CT image of {@code pixelBytes} of pixel data. */
    public static Instance ct(String patientId, String studyUid, String studyDate) {
      return new Instance(
          "CTImageStorage", "CT", studyDate, patientId, studyUid, studyUid + ".1", 512);
    }

    public Instance withModality(String sopClass, String modality) {
      return new Instance(
          sopClass, modality, studyDate, patientId, studyUid, seriesUid, pixelBytes);
    }

    public Instance withStudyDate(String date) {
      return new Instance(sopClass, modality, date, patientId, studyUid, seriesUid, pixelBytes);
    }

    public Instance withPixelBytes(int bytes) {
      return new Instance(sopClass, modality, studyDate, patientId, studyUid, seriesUid, bytes);
    }
  }

  /** The file dump2dcm writes for {@code instance} in the transfer syntax {@code syntax}. */
  public byte[] write(Instance instance, String syntax) throws IOException, InterruptedException {
    return write(dump(instance), syntax);
  }

  /** The file dump2dcm writes for a dump (its text format, one element per line). */
  public byte[] write(String dump, String syntax) throws IOException, InterruptedException {
    int n = ++written;
    Path in = dir.resolve("instance-" + n + ".dump");
    Path out = dir.resolve("instance-" + n + ".dcm");
    Files.writeString(in, dump, StandardCharsets.US_ASCII);
    List<String> command = new ArrayList<>();
    command.add(dump2dcm().toString());
    command.add(syntax);
    command.add("-e"); // sequences of undefined length, as many modalities write them
    command.add(in.toString());
    command.add(out.toString());
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dump2dcm-" + n + ".log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(out)) {
      p.destroyForcibly();
      throw new IOException(
          "dump2dcm failed: " + Files.readString(dir.resolve("dump2dcm-" + n + ".log")));
    }
    return Files.readAllBytes(out);
  }

  /**
   * dump2dcm on {@code PATH}.
   *
   * @throws IOException naming the program and the Debian package that ships it, when missing
   */
  public static Path dump2dcm() throws IOException {
    return Programs.onPath("dump2dcm")
        .orElseThrow(
            () ->
                new IOException(
                    "dump2dcm is not on PATH; it writes the DICOM files and is in the Debian"
                        + " package dcmtk (install it with: sudo apt-get install dcmtk)"));
  }

  /** The dump of one instance, with a sequence of undefined length before the attributes read. */
  public String dump(Instance i) throws IOException {
    int n = written + 1;
    Path pixels = dir.resolve("pixels-" + n + ".raw");
    Files.write(pixels, new byte[i.pixelBytes()]);
    StringBuilder d = new StringBuilder();
    d.append("(0008,0005) CS [ISO_IR 100]\n");
    d.append("(0008,0016) UI =").append(i.sopClass()).append('\n');
    d.append("(0008,0018) UI [").append(i.seriesUid()).append(".1]\n");
    if (i.studyDate() != null) {
      d.append("(0008,0020) DA [").append(i.studyDate()).append("]\n");
    }
    if (i.modality() != null) {
      d.append("(0008,0060) CS [").append(i.modality()).append("]\n");
    }
    d.append("(0008,1032) SQ (Sequence with undefined length #=1)\n");
    d.append("  (fffe,e000) na (Item with undefined length #=1)\n");
    d.append("    (0008,0100) SH [RPID16]\n");
    d.append("  (fffe,e00d) na (ItemDelimitationItem)\n");
    d.append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
    d.append("(0010,0010) PN [Synthetic^Patient]\n");
    if (i.patientId() != null) {
      d.append("(0010,0020) LO [").append(i.patientId()).append("]\n");
    }
    d.append("(0020,000d) UI [").append(i.studyUid()).append("]\n");
    d.append("(0020,000e) UI [").append(i.seriesUid()).append("]\n");
    d.append("(0028,0010) US 1\n");
    d.append("(0028,0011) US ").append(Math.max(1, i.pixelBytes() / 2)).append('\n');
    d.append("(7fe0,0010) OW =").append(pixels.getFileName()).append('\n');
    return d.toString();
  }
}
