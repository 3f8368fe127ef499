package io.strata.agent.dicom;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.protocol.object.DicomHeader;
import java.util.Locale;

/**
 * The agent's metrics of DICOM classification. Names and labels are documented in {@code
 * dashboards/README.md}; no label carries a key, a UID or a patient identifier.
 */
public final class DicomMetrics {
  public static final String HEADERS = "strata_agent_dicom_headers_total";
  public static final String HEADER_BYTES = "strata_agent_dicom_header_read_bytes_total";
  public static final String CACHED = "strata_agent_dicom_headers_cached_total";

  private final Counter headers;
  private final Counter bytes;
  private final Counter cached;

  public DicomMetrics(PrometheusRegistry registry) {
    headers =
        Counter.builder()
            .name(HEADERS)
            .help(
                "Objects classified by their header, by kind (dicom, not_dicom, corrupt): each"
                    + " version of an object once")
            .labelNames("kind")
            .register(registry);
    bytes =
        Counter.builder()
            .name(HEADER_BYTES)
            .help("Bytes read from the pools for DICOM headers (ranged GETs)")
            .register(registry);
    cached =
        Counter.builder()
            .name(CACHED)
            .help("Objects whose classification was known from an earlier scan, no read needed")
            .register(registry);
    for (DicomHeader.Kind kind : DicomHeader.Kind.values()) {
      headers.labelValues(label(kind)); // Every kind shows from the start, at 0.
    }
  }

  void classified(DicomHeader.Kind kind) {
    headers.labelValues(label(kind)).inc();
  }

  void read(long n) {
    bytes.inc(n);
  }

  void cached() {
    cached.inc();
  }

  static String label(DicomHeader.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
