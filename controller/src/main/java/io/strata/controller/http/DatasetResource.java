package io.strata.controller.http;

import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.Shard;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Datasets: {@code /api/v1/datasets}. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
  private final List<Dataset> datasets;
  private final ShardStore shards;

  public DatasetResource(List<Dataset> datasets, ShardStore shards) {
    this.datasets = List.copyOf(datasets);
    this.shards = shards;
  }

  /** 200: every dataset. */
  @GET
  public List<Dataset> list() {
    return datasets;
  }

  /** 200: one dataset; 404 when unknown. */
  @GET
  @Path("/{name}")
  public Dataset get(@PathParam("name") String name) {
    return datasets.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("no dataset '" + name + "'"));
  }

  /** 200: the dataset's shards (id, key range, placement key); 404 when the dataset is unknown. */
  @GET
  @Path("/{name}/shards")
  public List<Shard> shards(@PathParam("name") String name) throws Exception {
    return shards.shards(get(name).name());
  }
}
