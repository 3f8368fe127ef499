package io.strata.agent.dicom;

import io.strata.protocol.object.DicomHeader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the few attributes Strata plans by from the first bytes of a DICOM Part 10 file: the
 * preamble and {@code DICM}, the file meta information (explicit VR little endian, always), then
 * the data set in its transfer syntax (implicit or explicit VR little endian, explicit big endian,
 * or deflated), until it passes (0020,000E) SeriesInstanceUID, the last attribute it wants. It
 * never reads as far as the pixel data, whose tag (7FE0,0010) comes after. Sequences before that
 * point are skipped, by their length or, when undefined, by their delimiters. A file without a
 * StudyInstanceUID (type 1 in every composite instance) is taken as corrupt: it is most often one
 * cut short between two elements.
 *
 * <p>No DICOM library on Maven Central fits (dcm4che is published in its own repository only), and
 * these five attributes need a small part of the standard, so this reader is Strata's own.
 *
 * <p>Pure: bytes in, a result out; never throws on any input. The PatientID is hashed as soon as it
 * is read, by the function given, and is not kept. Thread-safe.
 */
public final class DicomHeaderReader {

  static final int PREAMBLE = 128;
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

  /** Every transfer syntax the standard defines starts with this root. */
  private static final String STANDARD_ROOT = "1.2.840.10008.1.2.";

  static final int STUDY_DATE = 0x00080020;
  static final int MODALITY = 0x00080060;
  static final int PATIENT_ID = 0x00100020;
  static final int STUDY_UID = 0x0020000D;
  static final int SERIES_UID = 0x0020000E;
  static final int TRANSFER_SYNTAX = 0x00020010;
  static final int PIXEL_DATA = 0x7FE00010;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_END = 0xFFFEE00D;
  private static final int SEQUENCE_END = 0xFFFEE0DD;
  private static final long UNDEFINED = 0xFFFFFFFFL;

  /** VRs whose explicit encoding has two reserved bytes and a four-byte length. */
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  /** The most of a deflated data set inflated: the attributes wanted come long before. */
  static final int MAX_INFLATED = 64 * 1024;

  /** The deepest nesting of sequences skipped; deeper is taken as corrupt. */
  private static final int MAX_DEPTH = 16;

  private DicomHeaderReader() {}

  /** The outcome of reading a prefix of an object. */
  public sealed interface Reading permits Done, NeedMore {}

  /** The header, or the object's classification as not DICOM or corrupt. */
  public record Done(DicomHeader header) implements Reading {}

  /** The prefix ends before the reader is done: read at least {@code bytes} of the object. */
  public record NeedMore(long bytes) implements Reading {}

  /**
   * Reads {@code prefix}, the first bytes of an object of {@code size} bytes.
   *
   * @param hash turns the PatientID's bytes (trailing padding removed) into what is kept; may
   *     return null to keep nothing
   */
  public static Reading read(byte[] prefix, long size, Function<byte[], String> hash) {
    boolean whole = prefix.length >= size;
    if (prefix.length < PREAMBLE + 4) {
      return whole ? new Done(DicomHeader.notDicom(notDicom(size))) : new NeedMore(PREAMBLE + 4);
    }
    if (!(prefix[PREAMBLE] == 'D'
        && prefix[PREAMBLE + 1] == 'I'
        && prefix[PREAMBLE + 2] == 'C'
        && prefix[PREAMBLE + 3] == 'M')) {
      return new Done(DicomHeader.notDicom("no DICM prefix after the 128-byte preamble"));
    }
    try {
      return readFrom(prefix, whole, hash);
    } catch (Short e) {
      return new NeedMore(Math.max(e.at + 1L, (long) prefix.length * 2));
    } catch (Bad e) {
      return new Done(DicomHeader.corrupt(e.getMessage()));
    } catch (RuntimeException e) {
      // A fault of this reader on input it did not foresee: the object is classified, the scan
      // goes on.
      return new Done(
          DicomHeader.corrupt("unreadable header (" + e.getClass().getSimpleName() + ")"));
    }
  }

  private static String notDicom(long size) {
    return "shorter (" + size + " bytes) than a DICOM preamble and prefix";
  }

  private static Reading readFrom(byte[] prefix, boolean whole, Function<byte[], String> hash) {
    Cursor meta = new Cursor(prefix, PREAMBLE + 4, prefix.length, true, true, whole);
    String syntax = null;
    while (!meta.atEnd() && meta.peekGroup() == 0x0002) {
      Element e = meta.element();
      if (e.tag == TRANSFER_SYNTAX) {
        syntax = meta.text(e);
      } else {
        meta.skip(e, 0);
      }
    }
    if (syntax == null) {
      throw new Bad("the file meta information names no transfer syntax (0002,0010)");
    }
    Cursor data;
    switch (syntax) {
      case IMPLICIT_LE -> data = meta.rest(false, true);
      case EXPLICIT_LE -> data = meta.rest(true, true);
      case EXPLICIT_BE -> data = meta.rest(true, false);
      case DEFLATED_LE -> data = inflate(prefix, meta.pos, whole);
      default -> {
        if (!syntax.startsWith(STANDARD_ROOT) || !syntax.matches("[0-9.]{1,64}")) {
          throw new Bad("transfer syntax '" + printable(syntax) + "' is not one DICOM defines");
        }
        // Encapsulated (compressed) pixel data: the data set itself is explicit little endian.
        data = meta.rest(true, true);
      }
    }
    return new Done(attributes(data, hash));
  }

  private static DicomHeader attributes(Cursor data, Function<byte[], String> hash) {
    String studyDate = null;
    String modality = null;
    String patient = null;
    String study = null;
    String series = null;
    while (!data.atEnd()) {
      Element e = data.element();
      if (Integer.compareUnsigned(e.tag, SERIES_UID) > 0) {
        break; // Past the last attribute wanted; tags of a data set ascend.
      }
      switch (e.tag) {
        case STUDY_DATE -> studyDate = blankToNull(data.text(e));
        case MODALITY -> modality = blankToNull(data.text(e));
        case PATIENT_ID -> {
          byte[] id = data.trimmedValue(e);
          patient = id.length == 0 ? null : hash.apply(id);
          Arrays.fill(id, (byte) 0);
        }
        case STUDY_UID -> study = blankToNull(data.text(e));
        case SERIES_UID -> series = blankToNull(data.text(e));
        default -> data.skip(e, 0);
      }
    }
    if (study == null) {
      // Type 1 in every composite instance: a file without it is cut short or not an instance.
      return DicomHeader.corrupt(
          "no StudyInstanceUID (0020,000D)"
              + (data.pos >= data.end ? ": the data set ends at byte " + data.pos : ""));
    }
    return new DicomHeader(
        DicomHeader.Kind.DICOM, study, series, studyDate, modality, patient, null);
  }

  private static Cursor inflate(byte[] prefix, int from, boolean whole) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(prefix, from, prefix.length - from);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (!inflater.finished() && !inflater.needsInput()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
          break;
        }
        out.write(buffer, 0, n);
        if (out.size() >= MAX_INFLATED) {
          break; // Pixel data of zeros inflates a thousandfold: stop well before it.
        }
      }
      byte[] inflated = out.toByteArray();
      boolean capped = out.size() >= MAX_INFLATED;
      Cursor c =
          new Cursor(
              inflated, 0, inflated.length, true, true, capped || inflater.finished() || whole);
      // Inflated bytes run out where the compressed ones did: more of the object inflates further.
      c.moreAt = prefix.length;
      c.capped = capped;
      return c;
    } catch (DataFormatException e) {
      throw new Bad("the deflated data set does not inflate");
    } finally {
      inflater.end();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private record Element(int tag, String vr, long length, int valueAt) {}

  /** The prefix ends inside what is being read. */
  private static final class Short extends RuntimeException {
    final long at;

    Short(long at) {
      super(null, null, false, false);
      this.at = at;
    }
  }

  /** The bytes cannot be DICOM. */
  private static final class Bad extends RuntimeException {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  /** A position in a data set of one encoding. Not thread-safe. */
  private static final class Cursor {
    final byte[] b;
    final int end;
    final boolean explicit;
    final boolean little;
    final boolean complete;
    int pos;

    /**
     * Where in the object a read past this cursor's end needs more of it; -1 when that is the
     * cursor's own position (the cursor reads the object's bytes as they are).
     */
    long moreAt = -1;

    /** For a deflated data set: whether its inflation stopped at {@link #MAX_INFLATED}. */
    boolean capped;

    /**
     * @param complete whether the bytes end where the data set does, so that a read past the end
     *     finds a cut element rather than bytes not fetched yet
     */
    Cursor(byte[] b, int pos, int end, boolean explicit, boolean little, boolean complete) {
      this.b = b;
      this.pos = pos;
      this.end = end;
      this.explicit = explicit;
      this.little = little;
      this.complete = complete;
    }

    Cursor rest(boolean explicit, boolean little) {
      return new Cursor(b, pos, end, explicit, little, complete);
    }

    /** True at the end of the data set; at the end of the bytes fetched so far, asks for more. */
    boolean atEnd() {
      if (pos < end) {
        return false;
      }
      if (capped) {
        need(1); // says why
      }
      if (!complete) {
        throw new Short(moreAt >= 0 ? moreAt : pos);
      }
      return true;
    }

    private void need(long bytes) {
      if (pos + bytes > end) {
        if (capped) {
          throw new Bad(
              "the deflated data set runs past "
                  + MAX_INFLATED
                  + " bytes before SeriesInstanceUID (0020,000E)");
        }
        if (complete) {
          throw new Bad("cut short: the data set ends inside an element at byte " + pos);
        }
        throw new Short(moreAt >= 0 ? moreAt : pos + bytes - 1);
      }
    }

    int peekGroup() {
      need(2);
      return u16(pos);
    }

    private int u16(int at) {
      return little
          ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8
          : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private long u32(int at) {
      return little
          ? (b[at] & 0xffL)
              | (b[at + 1] & 0xffL) << 8
              | (b[at + 2] & 0xffL) << 16
              | (b[at + 3] & 0xffL) << 24
          : (b[at] & 0xffL) << 24
              | (b[at + 1] & 0xffL) << 16
              | (b[at + 2] & 0xffL) << 8
              | (b[at + 3] & 0xffL);
    }

    /** Reads an element's tag, VR and length; leaves the cursor at its value. */
    Element element() {
      need(8);
      int tag = u16(pos) << 16 | u16(pos + 2);
      if ((tag >>> 16) == 0xFFFE) {
        // Item and delimitation tags carry no VR in any encoding.
        long length = u32(pos + 4);
        pos += 8;
        return new Element(tag, null, length, pos);
      }
      if (!explicit) {
        long length = u32(pos + 4);
        pos += 8;
        return new Element(tag, null, length, pos);
      }
      char c1 = (char) (b[pos + 4] & 0xff);
      char c2 = (char) (b[pos + 5] & 0xff);
      if (c1 < 'A' || c1 > 'Z' || c2 < 'A' || c2 > 'Z') {
        throw new Bad(
            String.format(
                "element (%04X,%04X) at byte %d has no value representation",
                tag >>> 16, tag & 0xffff, pos));
      }
      String vr = "" + c1 + c2;
      if (LONG_VRS.contains(vr)) {
        need(12);
        long length = u32(pos + 8);
        pos += 12;
        return new Element(tag, vr, length, pos);
      }
      long length = u16(pos + 6);
      pos += 8;
      return new Element(tag, vr, length, pos);
    }

    /** Passes over an element's value, a sequence of undefined length included. */
    void skip(Element e, int depth) {
      if (e.length != UNDEFINED) {
        need(e.length);
        pos += (int) e.length;
        return;
      }
      if (e.tag == PIXEL_DATA) {
        throw new Bad("encapsulated pixel data before the attributes wanted");
      }
      if (depth >= MAX_DEPTH) {
        throw new Bad("sequences nested deeper than " + MAX_DEPTH);
      }
      // A sequence (SQ, or UN / implicit VR of undefined length): items until its delimiter.
      while (true) {
        Element item = element();
        if (item.tag == SEQUENCE_END) {
          return;
        }
        if (item.tag != ITEM) {
          throw new Bad(
              String.format(
                  "(%04X,%04X) where a sequence item was expected at byte %d",
                  item.tag >>> 16, item.tag & 0xffff, item.valueAt - 8));
        }
        if (item.length != UNDEFINED) {
          need(item.length);
          pos += (int) item.length;
          continue;
        }
        while (true) {
          Element inner = element();
          if (inner.tag == ITEM_END) {
            break;
          }
          skip(inner, depth + 1);
        }
      }
    }

    byte[] trimmedValue(Element e) {
      if (e.length == UNDEFINED) {
        throw new Bad(
            String.format(
                "(%04X,%04X) has an undefined length where a text value belongs",
                e.tag >>> 16, e.tag & 0xffff));
      }
      if (e.length > 1024) {
        throw new Bad(
            String.format(
                "(%04X,%04X) is %d bytes long, past what its value may hold",
                e.tag >>> 16, e.tag & 0xffff, e.length));
      }
      need(e.length);
      int n = (int) e.length;
      int from = pos;
      pos += n;
      int start = from;
      int stop = from + n;
      while (stop > start && (b[stop - 1] == ' ' || b[stop - 1] == 0)) {
        stop--;
      }
      while (start < stop && b[start] == ' ') {
        start++;
      }
      return Arrays.copyOfRange(b, start, stop);
    }

    String text(Element e) {
      return new String(trimmedValue(e), StandardCharsets.US_ASCII);
    }
  }
}
