package io.strata.fleet.view;

/**
 * One rack as the console's heatmap draws it: a small record, so that the whole fleet (10,000
 * racks) is one answer of about a megabyte, and an unchanged fleet answers 304.
 *
 * @param id the rack's id
 * @param site the enclosing site, null when none
 * @param room the enclosing room, null when none
 * @param row the enclosing row, null when the rack sits directly in its room
 * @param fill used / capacity over the rack's pools that reported, 0..1 rounded to three places; -1
 *     when none reported
 * @param poolsUp pools in service (effective state up, not unreachable)
 * @param poolsDraining pools draining or out
 * @param poolsDown pools down, or that their agents could not reach at their last census
 * @param agentsUp agents of the rack's nodes within their lease
 * @param agentsDown agents of the rack's nodes whose lease lapsed
 * @param atRisk queued tasks repairing data at risk (fewer copies than the policy's minimum) whose
 *     surviving copy is in this rack
 * @param tasks queued and running tasks that read from or write to a pool of this rack
 */
public record RackSummary(
    String id,
    String site,
    String room,
    String row,
    double fill,
    int poolsUp,
    int poolsDraining,
    int poolsDown,
    int agentsUp,
    int agentsDown,
    int atRisk,
    int tasks) {}
