package io.strata.controller.audit;

import io.strata.controller.http.ErrorMessage;
import io.strata.controller.http.Page;
import io.strata.controller.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
   * What a check of every chain of the trail found.
   *
   * @param intact whether every chain holds
   * @param records how many records were checked
   * @param chains each replica's chain with the sequence number of its last record checked
   * @param broken the first broken link, when one is
   */
  public record Verification(
      boolean intact, int records, Map<String, Long> chains, AuditChain.Break broken) {}

  /**
   * The records of every replica's chain kept on the pools (and this replica's not yet flushed),
   * oldest first, newest page first: {@code offset} counts back from the newest matching record.
   *
   * <p>200 with the records and, in {@value Page#TOTAL}, how many match over all pages; 400 when
   * {@code from} or {@code to} is not an ISO-8601 instant ({@code 2025-01-31T08:00:00Z}), {@code
   * from} is after {@code to}, the span exceeds 31 days, {@code limit} is outside 1..10000 or
   * {@code offset} is negative.
   *
   * @param from the earliest time; default one day before {@code to}
   * @param to the latest time; default now
   * @param principal only this principal's records, when given
   * @param offset how many of the newest matching records to skip; default 0
   * @param limit at most this many records, the newest kept; default 1000
   */
  @GET
  @RolesAllowed(Roles.AUDITOR)
  public Response query(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("principal") String principal,
      @QueryParam("offset") @DefaultValue("0") int offset,
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
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
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
    int last = Math.max(0, matching.size() - offset);
    return Response.ok(matching.subList(Math.max(0, last - limit), last))
        .header(Page.TOTAL, matching.size())
        .build();
  }

  /**
   * Checks every chain of the trail as {@code strata audit verify} does: every record kept on the
   * pools, and this replica's not yet flushed. It reads the whole trail, so the console asks it
   * when the audit view opens and when asked again, not on every refresh.
   *
   * <p>200 with what was found, broken or not; 503 when a pool or a record cannot be read (a
   * verification must not skip records).
   */
  @GET
  @Path("/verify")
  @RolesAllowed(Roles.AUDITOR)
  public Verification verify() {
    Map<String, AuditRecord> records;
    try {
      records = new TreeMap<>(trail.store().listAll());
    } catch (IOException e) {
      throw ErrorMessage.failure(503, "the audit trail cannot be read in full: " + e.getMessage());
    }
    records.putAll(trail.spooled());
    Optional<AuditChain.Break> broken = AuditChain.verify(records);
    Map<String, Long> chains = new TreeMap<>();
    records.values().forEach(r -> chains.merge(r.replica(), r.seq(), Math::max));
    return new Verification(broken.isEmpty(), records.size(), chains, broken.orElse(null));
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
