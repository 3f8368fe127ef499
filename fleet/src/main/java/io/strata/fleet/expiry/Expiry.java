package io.strata.fleet.expiry;

import java.time.Instant;
import java.util.Objects;

/**
 * An approved destruction: the objects of one dataset, governed by one policy, whose expiry under
 * that policy fell on or before {@link #cutoff}, and which were written before it was approved. Its
 * copies are deleted, all of them, only once each is accounted for, only where no retention and no
 * legal hold keeps the object, and the batch ends with a destruction certificate in the audit
 * trail. Objects written after the approval are not covered, even when an old study date puts their
 * expiry before the cutoff: nobody approved destroying data they had not seen. Immutable.
 *
 * @param id unique, chosen by the controller
 * @param dataset the dataset it destroys data of
 * @param policy the name of the policy whose expiry it carries out
 * @param cutoff the latest expiry date it covers, on the clock objects age by (the wall clock in
 *     production; the demo's runs faster)
 * @param approvedAt when it was approved, on the wall clock, as the pools date the copies they hold
 * @param approvedBy who approved it
 * @param basis the legal basis, as the policy states its retention (record class, law, minimum)
 * @param reason the approver's words: a ticket, a committee's decision
 */
public record Expiry(
    String id,
    String dataset,
    String policy,
    Instant cutoff,
    Instant approvedAt,
    String approvedBy,
    String basis,
    String reason) {

  public Expiry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(cutoff, "cutoff");
    Objects.requireNonNull(approvedAt, "approvedAt");
  }

  /**
   * Whether it covers an object of {@code dataset} governed by {@code policyName}, expired at
   * {@code expiresAt}, whose oldest copy was written at {@code written}.
   */
  public boolean covers(String name, String policyName, Instant expiresAt, Instant written) {
    return dataset.equals(name)
        && policy.equals(policyName)
        && expiresAt != null
        && !expiresAt.isAfter(cutoff)
        && written != null
        && !written.isAfter(approvedAt);
  }
}
