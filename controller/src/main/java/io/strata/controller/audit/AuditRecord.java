package io.strata.controller.audit;

import java.time.Instant;

/**
 * One entry of the audit trail: who did what to what, how it ended, from where, chained to the
 * entry before it in the same replica's chain. Parameters are present only as a digest: they may
 * carry secrets.
 *
 * @param replica the controller replica whose chain this record belongs to
 * @param seq 1 for a chain's first record, then one more for each next record
 * @param time when the call ended
 * @param principal user or token name; for a login the name that was tried; {@code -} when none
 * @param role the principal's roles, {@code -} when unauthenticated
 * @param action what was called: {@code login}, {@code logout}, or method and route template
 * @param target the path called
 * @param parametersSha256 SHA-256 (hex) of the query string and body, or of the non-secret part of
 *     a login
 * @param outcome the HTTP status answered
 * @param source the client's address
 * @param previousHash {@link #hash} of the record before, or 64 zeros for the first
 * @param hash SHA-256 (hex) of every field above, see {@link AuditChain#hashOf}
 */
public record AuditRecord(
    String replica,
    long seq,
    Instant time,
    String principal,
    String role,
    String action,
    String target,
    String parametersSha256,
    int outcome,
    String source,
    String previousHash,
    String hash) {}
