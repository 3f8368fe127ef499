package io.strata.fleet.expiry;

/**
 * Objects of a dataset past their policy's expiry that no approved {@link Expiry} covers yet: what
 * an approver is asked to destroy.
 *
 * @param dataset the dataset
 * @param policy the name of the policy whose expiry they passed
 */
public record Due(String dataset, String policy) {}
