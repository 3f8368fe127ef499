package io.strata.fleet.datasets;

import java.util.List;

/**
 * A logical bucket governed by one storage policy.
 *
 * @param name the bucket name, the same in every pool
 * @param description free text
 * @param policy the name of its storage policy
 * @param landingPools pools where hospitals write new objects
 * @param keepLandingCopy whether the landing copy stays after placement is verified
 */
public record Dataset(
    String name,
    String description,
    String policy,
    List<String> landingPools,
    boolean keepLandingCopy) {}
