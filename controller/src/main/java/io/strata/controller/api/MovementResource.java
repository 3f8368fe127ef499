package io.strata.controller.api;

import io.strata.controller.reconcile.DrainProgress;
import io.strata.controller.reconcile.MovementSwitch;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/movement}: pause and resume movement, globally or per dataset. Pausing holds back
 * voluntary movement, and agents stop such tasks already running; repairs of missing copies go on.
 */
@Path("/v1/movement")
@Produces(MediaType.APPLICATION_JSON)
public class MovementResource {
  private final MovementSwitch movement;
  private final Reconciler reconciler;

  public MovementResource(MovementSwitch movement, Reconciler reconciler) {
    this.movement = movement;
    this.reconciler = reconciler;
  }

  /**
   * Movement as this replica sees it.
   *
   * @param paused paused datasets, {@code *} for all
   * @param drains progress of each draining pool (from the leader; empty on followers)
   */
  public record Movement(Set<String> paused, List<DrainProgress> drains) {}

  /** 200: which datasets are paused ({@code *}: all). */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Movement movement() {
    return new Movement(movement.paused(), reconciler.drains());
  }

  /** Pauses voluntary movement of one dataset, or of all without {@code dataset}. 200. */
  @POST
  @Path("/pause")
  @RolesAllowed(Roles.OPERATOR)
  public Movement pause(@QueryParam("dataset") String dataset) throws Exception {
    return new Movement(
        movement.set(dataset == null ? MovementSwitch.ALL : dataset, true), reconciler.drains());
  }

  /** Resumes movement of one dataset, or of all without {@code dataset}. 200. */
  @POST
  @Path("/resume")
  @RolesAllowed(Roles.OPERATOR)
  public Movement resume(@QueryParam("dataset") String dataset) throws Exception {
    return new Movement(
        movement.set(dataset == null ? MovementSwitch.ALL : dataset, false), reconciler.drains());
  }
}
