package io.strata.controller.audit;

/**
 * What the API hands the trail for one call; the trail adds time, sequence and hashes.
 *
 * @param principal see {@link AuditRecord#principal}
 * @param role see {@link AuditRecord#role}
 * @param action see {@link AuditRecord#action}
 * @param target see {@link AuditRecord#target}
 * @param parametersSha256 see {@link AuditRecord#parametersSha256}
 * @param outcome see {@link AuditRecord#outcome}
 * @param source see {@link AuditRecord#source}
 */
public record AuditEvent(
    String principal,
    String role,
    String action,
    String target,
    String parametersSha256,
    int outcome,
    String source) {}
