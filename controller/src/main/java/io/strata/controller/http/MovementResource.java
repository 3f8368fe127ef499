package io.strata.controller.http;

import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.MovementSwitch;
import io.strata.fleet.reconcile.DrainProgress;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code /api/v1/movement}: pause and resume movement, globally or per dataset. Pausing holds back
 * voluntary movement, and agents stop such tasks already running; repairs of missing copies go on.
 */
@Path("/v1/movement")
@Produces(MediaType.APPLICATION_JSON)
public class MovementResource {
  private final MovementSwitch movement;
  private final Reconciler reconciler;
  private final Set<String> datasets;

  /**
   * @param datasets the names of the datasets this controller keeps
   */
  public MovementResource(
      MovementSwitch movement, Reconciler reconciler, Collection<String> datasets) {
    this.movement = movement;
    this.reconciler = reconciler;
    this.datasets = new TreeSet<>(datasets);
  }

  /**
   * Movement as this replica sees it.
   *
   * @param paused paused datasets, {@code *} for all
   * @param drains progress of each draining pool (from the leader; empty on followers)
   * @param balancer the live balancer at its last step (from the leader; null on followers)
   */
  public record Movement(Set<String> paused, List<DrainProgress> drains, Balancer balancer) {}

  /**
   * The live balancer at its last step.
   *
   * @param heldBack why it moved nothing, e.g. "3 shards have not finished moving their copies";
   *     null when it ran free
   * @param fullestFill per tier, its fullest pool's fill over the tier's mean
   */
  public record Balancer(String heldBack, Map<String, Double> fullestFill) {}

  /** 200: which datasets are paused ({@code *}: all). */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Movement movement() {
    return view(movement.paused());
  }

  /**
   * Pauses voluntary movement of one dataset, or of all without {@code dataset}. 200; 404 for a
   * dataset this controller does not keep.
   */
  @POST
  @Path("/pause")
  @RolesAllowed(Roles.OPERATOR)
  public Movement pause(@QueryParam("dataset") String dataset) throws Exception {
    if (dataset != null
        && !datasets.contains(dataset)
        && !MovementSwitch.BALANCER.equals(dataset)) {
      throw unknown(dataset);
    }
    return view(movement.set(dataset == null ? MovementSwitch.ALL : dataset, true));
  }

  /**
   * Resumes movement of one dataset, or of all without {@code dataset}. 200; 404 for a dataset this
   * controller does not keep, unless it is paused (a dataset since removed from the configuration).
   */
  @POST
  @Path("/resume")
  @RolesAllowed(Roles.OPERATOR)
  public Movement resume(@QueryParam("dataset") String dataset) throws Exception {
    if (dataset != null
        && !datasets.contains(dataset)
        && !MovementSwitch.BALANCER.equals(dataset)
        && !movement.paused().contains(dataset)) {
      throw unknown(dataset);
    }
    return view(movement.set(dataset == null ? MovementSwitch.ALL : dataset, false));
  }

  private Movement view(Set<String> paused) {
    Balancer balancer =
        reconciler.isLeading()
            ? new Balancer(reconciler.balancerHeld(), new TreeMap<>(reconciler.tierFill()))
            : null;
    return new Movement(paused, reconciler.drains(), balancer);
  }

  private NotFoundException unknown(String dataset) {
    return new NotFoundException(
        "no dataset '"
            + dataset
            + "' on this controller (its datasets: "
            + String.join(", ", datasets)
            + "); without ?dataset= the request is for all of them");
  }
}
