package io.strata.protocol.heartbeat;

/**
 * The answer to an idle agent's wait for work ({@code GET /api/v1/agents/{id}/work}).
 *
 * @param work true when work was queued for one of the agent's pools while it waited: it beats at
 *     once to lease it; false when the wait ended without, and the agent beats on its schedule
 */
public record WorkAnswer(boolean work) {}
