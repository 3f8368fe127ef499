package io.strata.controller.http;

import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.reconcile.QueuedTask;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/tasks}: the leader's task queue and what the reconciler has done. */
@Path("/v1/tasks")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
  private final Reconciler reconciler;
  private final TaskQueue queue;
  private final Leadership leadership;

  public TaskResource(Reconciler reconciler, TaskQueue queue, Leadership leadership) {
    this.reconciler = reconciler;
    this.queue = queue;
    this.leadership = leadership;
  }

  /**
   * The queue as the leader sees it.
   *
   * @param leading whether this replica leads (a follower's view is empty)
   * @param rounds reconcile rounds run
   * @param copiedObjects objects copied and verified since this replica leads
   * @param deletedObjects copies deleted after verification elsewhere
   * @param tasks queued and leased tasks, highest priority first: all of them, or the page asked
   * @param total how many tasks match the filters, over all pages
   */
  public record Queue(
      boolean leading,
      long rounds,
      long copiedObjects,
      long deletedObjects,
      List<QueuedTask> tasks,
      int total) {}

  /**
   * 200: the queue, or a page of the tasks that match the filters ({@link Page}). 422 when offset
   * or limit is not a whole number in range.
   *
   * @param pool a pool the task reads from or writes to
   * @param dataset the task's dataset
   * @param priority its priority ({@code DATA_AT_RISK}, {@code REBALANCE}, ...)
   */
  @GET
  public Queue queue(
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit,
      @QueryParam("pool") String pool,
      @QueryParam("dataset") String dataset,
      @QueryParam("priority") String priority) {
    Page page = Page.of(offset, limit);
    var stats = reconciler.stats();
    int[] total = new int[1];
    List<QueuedTask> tasks =
        page.of(
            reconciler.isLeading() ? queue.all() : List.of(),
            q ->
                (pool == null
                        || pool.isEmpty()
                        || pool.equals(q.task().sourcePool())
                        || pool.equals(q.task().targetPool()))
                    && Page.matches(dataset, q.task().dataset())
                    && Page.matches(priority, q.priority().name()),
            total);
    return new Queue(
        reconciler.isLeading(),
        stats.rounds(),
        stats.copiedObjects(),
        stats.deletedObjects(),
        tasks,
        total[0]);
  }

  /**
   * What a cancellation did.
   *
   * @param task the task's id
   * @param state {@code removed}: it was waiting and left the queue; {@code stopping}: its agent is
   *     told to stop it with its next heartbeat, and it leaves the queue once stopped
   */
  public record Cancelled(String task, String state) {}

  /**
   * Cancels a task. Work it already did stays done (every task is idempotent); what is still
   * needed, the reconciler plans again in a later round. To keep a dataset's data from moving,
   * pause its movement instead. 200; 404 no such task; 409 this replica does not lead (the answer
   * names the leader); 503 ZooKeeper cannot take the change now (nothing changed).
   */
  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.OPERATOR)
  public Cancelled cancel(@PathParam("id") String id) {
    if (!reconciler.isLeading()) {
      String leader = leadership.currentLeaderUrl();
      throw ErrorMessage.failure(
          409,
          "this replica does not lead; the task queue is the leader's"
              + (leader == null ? "" : ", at " + leader));
    }
    TaskQueue.Cancel done;
    try {
      done = queue.cancel(id, "cancelled by an operator");
    } catch (Exception e) {
      // ZooKeeper unreachable, or leadership lost since the check above: nothing changed.
      throw new ServiceUnavailableException("cannot cancel the task now: " + e.getMessage(), 5L);
    }
    return switch (done) {
      case UNKNOWN -> throw new NotFoundException("no task '" + id + "' in the queue");
      case REMOVED -> new Cancelled(id, "removed");
      case ASKED -> new Cancelled(id, "stopping");
    };
  }
}
