package io.strata.agent.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.strata.protocol.object.DicomHeader.Kind;
import io.strata.protocol.task.ListedObject;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the classifier reads of an object, and what it keeps and counts. */
class DicomClassifierTest {

  @TempDir static Path dir;
  static byte[] largeCt;
  static byte[] longHeader;

  PrometheusRegistry registry;
  DicomClassifier classifier;
  final List<Integer> reads = new ArrayList<>();

  @BeforeAll
  static void files() throws Exception {
    DicomFiles files = new DicomFiles(dir);
    Instance ct = Instance.ct("MRN-7", "1.2.3.7", "20210611");
    largeCt = files.write(ct.withPixelBytes(1 << 20), DicomFiles.EXPLICIT_LE);
    // A sequence of 1,500 items before the attributes read: the header runs past the first read.
    StringBuilder items = new StringBuilder("(0008,1032) SQ (Sequence with undefined length)\n");
    for (int i = 0; i < 1500; i++) {
      items.append("  (fffe,e000) na (Item with undefined length)\n");
      items.append("    (0008,0100) SH [CODE").append(i).append("]\n");
      items.append("  (fffe,e00d) na (ItemDelimitationItem)\n");
    }
    items.append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
    String dump = files.dump(ct);
    String longDump =
        dump.substring(0, dump.indexOf("(0008,1032)"))
            + items
            + dump.substring(dump.indexOf("(0010,0010)"));
    longHeader = files.write(longDump, DicomFiles.IMPLICIT_LE);
  }

  @BeforeEach
  void classifier() {
    registry = new PrometheusRegistry();
    classifier =
        new DicomClassifier(
            PatientIdKey.of("classifier-test-key-0123456789"), new DicomMetrics(registry));
  }

  private ListedObject classify(String key, byte[] content, String etag) throws Exception {
    ListedObject listed = new ListedObject(key, content.length, Instant.EPOCH, etag, null);
    return classifier.classify(
        "pool-a",
        "fz-h01-imaging",
        listed,
        length -> {
          reads.add(length);
          return Arrays.copyOf(content, Math.min(length, content.length));
        });
  }

  private double count(String name, String kind) {
    for (var s : registry.scrape().stream().toList()) {
      if (s instanceof CounterSnapshot c && (c.getMetadata().getName() + "_total").equals(name)) {
        for (var d : c.getDataPoints()) {
          if (kind == null || kind.equals(d.getLabels().get("kind"))) {
            return d.getValue();
          }
        }
      }
    }
    throw new AssertionError("no " + name);
  }

  @Test
  void readsTheFirstBytesOfALargeObjectOnlyNeverItsPixelData() throws Exception {
    ListedObject o = classify("s/1.dcm", largeCt, "e1");

    assertThat(o.dicom().kind()).isEqualTo(Kind.DICOM);
    assertThat(o.dicom().studyDate()).isEqualTo("20210611");
    assertThat(reads).containsExactly(DicomClassifier.FIRST_READ);
    assertThat(count(DicomMetrics.HEADER_BYTES, null)).isEqualTo(DicomClassifier.FIRST_READ);
  }

  @Test
  void readsFurtherWhenTheHeaderRunsPastTheFirstRead() throws Exception {
    assertThat(longHeader.length).isGreaterThan(DicomClassifier.FIRST_READ);

    ListedObject o = classify("s/2.dcm", longHeader, "e2");

    assertThat(o.dicom().kind()).isEqualTo(Kind.DICOM);
    assertThat(o.dicom().studyInstanceUid()).isEqualTo("1.2.3.7");
    assertThat(reads).hasSizeGreaterThan(1);
    assertThat(reads).allMatch(n -> n <= DicomClassifier.MAX_HEADER_BYTES);
  }

  @Test
  void readsEachVersionOnceAndAgainWhenTheObjectIsRewritten() throws Exception {
    classify("s/1.dcm", largeCt, "e1");
    ListedObject again = classify("s/1.dcm", largeCt, "e1");
    classify("s/1.dcm", longHeader, "e9");

    assertThat(again.dicom().modality()).isEqualTo("CT");
    assertThat(reads).hasSizeGreaterThanOrEqualTo(2);
    assertThat(reads.get(0)).isEqualTo(DicomClassifier.FIRST_READ);
    assertThat(count(DicomMetrics.CACHED, null)).isEqualTo(1);
    assertThat(count(DicomMetrics.HEADERS, "dicom")).isEqualTo(2);
  }

  @Test
  void countsObjectsThatAreNotDicomOrCorruptAndNeverThrowsForThem() throws Exception {
    classify("notes.txt", "not an image".getBytes(), "t1");
    ListedObject cut = classify("cut.dcm", Arrays.copyOf(largeCt, 300), "c1");
    assertThat(cut.dicom().kind()).as("%s", cut.dicom()).isEqualTo(Kind.CORRUPT);
    classify("empty", new byte[0], "z1");

    assertThat(count(DicomMetrics.HEADERS, "not_dicom")).isEqualTo(2);
    assertThat(count(DicomMetrics.HEADERS, "corrupt")).isEqualTo(1);
    assertThat(count(DicomMetrics.HEADERS, "dicom")).isZero();
  }

  @Test
  void aFailedReadIsNotAClassification() {
    ListedObject listed = new ListedObject("s/3.dcm", 1000, Instant.EPOCH, "e3", null);

    assertThatThrownBy(
            () ->
                classifier.classify(
                    "pool-a",
                    "fz-h01-imaging",
                    listed,
                    length -> {
                      throw new IOException("connection reset");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(count(DicomMetrics.HEADERS, "corrupt")).isZero();
  }
}
