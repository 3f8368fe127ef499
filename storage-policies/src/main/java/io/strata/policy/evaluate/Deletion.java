package io.strata.policy.evaluate;

import java.time.Instant;

/**
 * Whether an object may be deleted (on request, or by expiry) at the time asked, and why.
 *
 * @param allowed true when nothing in the policy keeps the object
 * @param reason for operators: the rule that decides, with its basis in law where there is one
 * @param earliest when deletion becomes allowed; {@code null} when it already is, or when only a
 *     change of policy (lifting a legal hold) can allow it
 */
public record Deletion(boolean allowed, String reason, Instant earliest) {}
