package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionRecordTest {

  @Test
  void aRecordReadsBackAsWritten() {
    DeletionRecord record =
        new DeletionRecord(
            Instant.parse("2026-12-06T12:00:01.250Z"),
            "hot-a1",
            "h01-imaging",
            "studies/2026/12/1.2.3/series-1/instance-0001.dcm",
            524_288,
            "ab".repeat(32),
            Instant.parse("2026-12-06T11:59:00Z"),
            List.of("warm-a", "cold-b"));

    assertThat(DeletionRecord.parse(record.line())).isEqualTo(record);
  }

  @Test
  void aRecordWithoutMarkerDateOrPoolsReadsBack() {
    DeletionRecord record =
        new DeletionRecord(Instant.EPOCH, "p", "b", "k", 0, null, null, List.of());

    assertThat(DeletionRecord.parse(record.line())).isEqualTo(record);
  }

  @Test
  void aLineThatIsNoRecordIsRefusedNamingIt() {
    assertThatThrownBy(() -> DeletionRecord.parse("INFO something else"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a deletion record")
        .hasMessageContaining("INFO something else");
    assertThatThrownBy(() -> DeletionRecord.parse("delete\tyesterday\tp\tb\tk\t1\t-\t-\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unreadable deletion record");
  }
}
