package io.strata.controller.api;

import io.strata.controller.reconcile.QueuedTask;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.reconcile.TaskQueue;
import io.strata.controller.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/tasks}: the leader's task queue and what the reconciler has done. */
@Path("/v1/tasks")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
  private final Reconciler reconciler;
  private final TaskQueue queue;

  public TaskResource(Reconciler reconciler, TaskQueue queue) {
    this.reconciler = reconciler;
    this.queue = queue;
  }

  /**
   * The queue as the leader sees it.
   *
   * @param leading whether this replica leads (a follower's view is empty)
   * @param rounds reconcile rounds run
   * @param copiedObjects objects copied and verified since this replica leads
   * @param deletedObjects copies deleted after verification elsewhere
   * @param tasks queued and leased tasks, highest priority first
   */
  public record Queue(
      boolean leading,
      long rounds,
      long copiedObjects,
      long deletedObjects,
      List<QueuedTask> tasks) {}

  /** 200 always. */
  @GET
  public Queue queue() {
    var stats = reconciler.stats();
    return new Queue(
        reconciler.isLeading(),
        stats.rounds(),
        stats.copiedObjects(),
        stats.deletedObjects(),
        reconciler.isLeading() ? queue.all() : List.of());
  }
}
