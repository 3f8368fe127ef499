package io.strata.controller.http;

import io.strata.topology.TopologyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** Bad input found below the resources (a bad topology, a bad value) becomes a 400 in JSON. */
public class IllegalArgumentExceptionMapper implements ExceptionMapper<IllegalArgumentException> {
  @Override
  public Response toResponse(IllegalArgumentException e) {
    List<String> details = e instanceof TopologyException t ? t.problems() : List.of();
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(400, e.getMessage(), details))
        .build();
  }
}
