package io.strata.controller.capacity;

import io.strata.controller.security.Roles;
import io.strata.policy.evaluate.PolicySet;
import io.strata.topology.ClusterMap;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@code /api/v1/capacity/plan}: every tier's projected use at every site over the horizon with its
 * 80% and 95% prediction intervals and fill dates, and the racks to order so that none passes its
 * ceiling at the confidence, with their cost by quarter; as JSON or as a report (XLSX, PDF). A
 * what-if (onboarded hospitals, racks added, other rack models, horizon or confidence) is the body
 * of a POST. Reads only: nothing is changed, whatever the body.
 */
@RolesAllowed({Roles.PLANNER})
@Path("/v1/capacity")
public class CapacityPlanResource {
  private final CapacityHistory history;
  private final Supplier<ClusterMap> map;
  private final Supplier<PolicySet> policies;
  private final CapacityPlanner.Settings settings;
  private final Clock clock;

  public CapacityPlanResource(
      CapacityHistory history,
      Supplier<ClusterMap> map,
      Supplier<PolicySet> policies,
      CapacityPlanner.Settings settings,
      Clock clock) {
    this.history = history;
    this.map = map;
    this.policies = policies;
    this.settings = settings;
    this.clock = clock;
  }

  /** 200: the plan with the configured horizon, confidence and rack models. */
  @GET
  @Path("/plan")
  @Produces(MediaType.APPLICATION_JSON)
  public CapacityPlanner.PlanView plan() {
    return plan(CapacityPlanner.PlanRequest.NONE);
  }

  /**
   * 200: the plan under a what-if; 400 naming the field that cannot be used (an unknown tier, site
   * or policy, a rack model with a capacity of 0 or less or a lead time beyond the horizon, a size
   * that does not parse), or a body that is not JSON of this shape.
   */
  @POST
  @Path("/plan")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public CapacityPlanner.PlanView plan(CapacityPlanner.PlanRequest request) {
    return CapacityPlanner.plan(
        map.get(),
        policies.get(),
        history.samples(),
        history.window(),
        clock.instant(),
        settings,
        request == null ? CapacityPlanner.PlanRequest.NONE : request);
  }

  /** The plan as a workbook: the orders, the cost by quarter, the projection with charts. */
  @POST
  @Path("/plan.xlsx")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(CapacityResource.XLSX)
  public Response planXlsx(CapacityPlanner.PlanRequest request) throws IOException {
    return Response.ok(PlanWorkbook.write(plan(request)), CapacityResource.XLSX)
        .header("Content-Disposition", "attachment; filename=\"strata-capacity-plan.xlsx\"")
        .build();
  }

  /** The plan as a PDF: the tables, then a chart per tier and site with its interval band. */
  @POST
  @Path("/plan.pdf")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(CapacityResource.PDF)
  public Response planPdf(CapacityPlanner.PlanRequest request) throws IOException {
    return Response.ok(PlanPdf.write(plan(request)), CapacityResource.PDF)
        .header("Content-Disposition", "attachment; filename=\"strata-capacity-plan.pdf\"")
        .build();
  }
}
