package io.strata.controller.http;

import io.strata.controller.reconcile.Dispatcher;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.relay.HeartbeatRelay;
import io.strata.controller.relay.RelayAnswers;
import io.strata.controller.relay.RelayedBeats;
import io.strata.controller.relay.WorkSignals;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/relay/heartbeats}: the leader's side of heartbeat aggregation ({@link
 * HeartbeatRelay}). A follower replica hands over the task side of the heartbeats it took, many at
 * once; the leader records their results, renews and leases tasks exactly as for a heartbeat posted
 * to it ({@link Reconciler#onHeartbeat}), and answers each in order. Only a replica's token may
 * call it: the follower authenticated every agent whose heartbeat it relays.
 */
@Path("/v1/relay")
@Produces(MediaType.APPLICATION_JSON)
public class RelayResource {
  private static final Logger LOG = LoggerFactory.getLogger(RelayResource.class);

  private final Reconciler reconciler;
  private final Leadership leadership;
  private final WorkSignals signals;

  public RelayResource(Reconciler reconciler, Leadership leadership, WorkSignals signals) {
    this.reconciler = reconciler;
    this.leadership = leadership;
    this.signals = signals;
  }

  /**
   * 200: the pools work was queued for since version {@code since} of the leader's board {@code
   * board} ({@link WorkSignals.Read}), for a follower to wake the agents waiting on it. 422 when
   * {@code since} is not a whole number; 503 when this replica does not lead.
   */
  @GET
  @Path("/work")
  @RolesAllowed(Roles.REPLICA)
  public WorkSignals.Read work(
      @QueryParam("board") String board, @QueryParam("since") String since) {
    long version;
    try {
      version = since == null || since.isBlank() ? 0 : Long.parseLong(since.strip());
    } catch (NumberFormatException e) {
      throw ErrorMessage.failure(422, "since: a board version, not '" + since + "'");
    }
    if (!leadership.isLeader()) {
      throw ErrorMessage.failure(503, "this replica does not lead");
    }
    return signals.since(board == null ? "" : board, version);
  }

  /**
   * 200 with an answer per heartbeat, in order: null for one the leader could not record now (the
   * agent sends its results again); without tasks while this leader's first round has not started.
   * 422 when the batch is empty, too large, or a heartbeat has no agent id (naming its index); 503
   * when this replica does not lead (the follower finds the leader again).
   */
  @POST
  @Path("/heartbeats")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.REPLICA)
  public RelayAnswers heartbeats(@NotNull RelayedBeats batch) {
    List<Heartbeat> beats = batch.beats();
    if (beats == null || beats.isEmpty()) {
      throw ErrorMessage.failure(422, "beats: at least one heartbeat");
    }
    if (beats.size() > HeartbeatRelay.MAX_BATCH) {
      throw ErrorMessage.failure(
          422, "beats: at most " + HeartbeatRelay.MAX_BATCH + " a request, not " + beats.size());
    }
    for (int i = 0; i < beats.size(); i++) {
      Heartbeat beat = beats.get(i);
      if (beat == null || beat.agentId() == null || beat.agentId().isBlank()) {
        throw ErrorMessage.failure(422, "beats[" + i + "].agentId is missing");
      }
    }
    if (!leadership.isLeader()) {
      throw ErrorMessage.failure(503, "this replica does not lead");
    }
    List<HeartbeatResponse> answers = new ArrayList<>(beats.size());
    try {
      // The expiry deletions of the whole batch: one write per expiry, before any is recorded.
      reconciler.tallyHeartbeats(beats);
    } catch (Exception e) {
      LOG.warn("cannot count the relayed expiry deletions now: {}", e.toString());
      beats.forEach(beat -> answers.add(null));
      return new RelayAnswers(answers);
    }
    for (Heartbeat beat : beats) {
      answers.add(dispatch(beat));
    }
    return new RelayAnswers(answers);
  }

  private HeartbeatResponse dispatch(Heartbeat beat) {
    Dispatcher.Dispatch dispatch;
    try {
      dispatch = reconciler.onHeartbeat(beat);
    } catch (Exception e) {
      LOG.warn("cannot record the relayed heartbeat of {} now: {}", beat.agentId(), e.toString());
      return null;
    }
    if (dispatch == null) {
      // Leading, but its first round has not started: nothing is recorded yet.
      return new HeartbeatResponse(0, 0);
    }
    // Lease and map epoch are the follower's to fill.
    return dispatch.answer(0, 0);
  }
}
