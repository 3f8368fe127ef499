package io.strata.controller.http;

import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyOrder;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
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

  /**
   * 200: every dataset, or a page of those whose name contains {@code q} ({@link Page}; the total
   * in {@value Page#TOTAL}); without offset and limit the whole list, as before pages existed. 422
   * when offset or limit is not a whole number in range.
   */
  @GET
  public Response list(
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit,
      @QueryParam("q") String q) {
    return Page.of(offset, limit).answer(datasets, d -> Page.contains(q, d.name()));
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

  /** Shards per page unless the request asks for fewer or more. */
  static final int DEFAULT_LIMIT = 10_000;

  /** The most shards one page holds. */
  static final int MAX_LIMIT = 100_000;

  /**
   * 200: a page of the dataset's shards (id, key range, placement key) in key order, those whose
   * range starts after {@code after} (from the first without it), at most {@code limit} (default
   * {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}); when more follow, a {@code Link} header
   * with {@code rel="next"} names the next page. 400 for a limit out of bounds; 404 when the
   * dataset is unknown.
   */
  @GET
  @Path("/{name}/shards")
  public Response shards(
      @PathParam("name") String name,
      @QueryParam("after") String after,
      @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) String limitText,
      @Context UriInfo uri)
      throws Exception {
    Dataset dataset = get(name);
    int limit;
    try {
      limit = Integer.parseInt(limitText.trim());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ErrorMessage.failure(
          400, "limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + limitText + "'");
    }
    List<Shard> all = shards.shards(dataset.name());
    int from = 0;
    if (after != null) {
      // The shards are in key order: the first whose start is past 'after'.
      int lo = 0;
      int hi = all.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (KeyOrder.compare(all.get(mid).range().start(), after) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      from = lo;
    }
    int to = Math.min(all.size(), from + limit);
    Response.ResponseBuilder page = Response.ok(all.subList(from, to));
    if (to < all.size() && uri != null) {
      URI next =
          uri.getRequestUriBuilder()
              .replaceQueryParam("after", all.get(to - 1).range().start())
              .replaceQueryParam("limit", limit)
              .build();
      page.link(next, "next");
    }
    return page.build();
  }
}
