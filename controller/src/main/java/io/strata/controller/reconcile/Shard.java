package io.strata.controller.reconcile;

import io.strata.agent.task.KeyRange;

/**
 * A key range of a dataset: the unit of placement, movement and accounting.
 *
 * @param id stable id, also the placement key; never reused for another range
 * @param dataset the dataset (bucket) it belongs to
 * @param range its keys, {@code [start, end)}
 */
public record Shard(String id, String dataset, KeyRange range) {}
