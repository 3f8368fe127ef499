package io.strata.controller.audit;

import io.strata.controller.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The audit trail, for auditors only: {@code /api/v1/audit}. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  static final Duration MAX_SPAN = Duration.ofDays(31);

  private final AuditTrail trail;
  private final Clock clock;

  public AuditResource(AuditTrail trail, Clock clock) {
    this.trail = trail;
    this.clock = clock;
  }

  /**
   * The records of every replica's chain kept on the pools (and this replica's not yet flushed),
   * oldest first.
   *
   * <p>200 with the records; 400 when {@code from} or {@code to} is not an ISO-8601 instant ({@code
   * 2025-01-31T08:00:00Z}), {@code from} is after {@code to}, the span exceeds 31 days, or {@code
   * limit} is outside 1..10000.
   *
   * @param from the earliest time; default one day before {@code to}
   * @param to the latest time; default now
   * @param principal only this principal's records, when given
   * @param limit at most this many records, the newest kept; default 1000
   */
  @GET
  @RolesAllowed(Roles.AUDITOR)
  public List<AuditRecord> query(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("principal") String principal,
      @QueryParam("limit") @DefaultValue("1000") int limit) {
    Instant end = instant("to", to, clock.instant());
    Instant start = instant("from", from, end.minus(Duration.ofDays(1)));
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("from must not be after to");
    }
    if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
      throw new IllegalArgumentException("from..to may span at most 31 days");
    }
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be 1..10000, got " + limit);
    }
    Map<String, AuditRecord> all = new HashMap<>(trail.store().list(start, end));
    all.putAll(trail.spooled());
    List<AuditRecord> matching =
        all.values().stream()
            .filter(r -> !r.time().isBefore(start) && !r.time().isAfter(end))
            .filter(r -> principal == null || principal.equals(r.principal()))
            .sorted(
                Comparator.comparing(AuditRecord::time)
                    .thenComparing(AuditRecord::replica)
                    .thenComparingLong(AuditRecord::seq))
            .toList();
    return matching.subList(Math.max(0, matching.size() - limit), matching.size());
  }

  private static Instant instant(String name, String text, Instant otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 instant such as 2025-01-31T08:00:00Z");
    }
  }
}
