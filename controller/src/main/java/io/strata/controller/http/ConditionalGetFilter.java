package io.strata.controller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.controller.security.Hashes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Arrays;

/**
 * Conditional reads for everything the console polls: every 200 JSON answer to a GET carries an
 * {@code ETag} (a digest of the body as sent), and a GET whose {@code If-None-Match} names it is
 * answered 304 with no body. An idle console at 10,000 racks then transfers a few hundred bytes a
 * refresh instead of megabytes, and its browser neither parses nor redraws anything.
 *
 * <p>The body is serialized here once, with the application's mapper, and handed on as bytes, so an
 * answer is not serialized twice. The controller still builds the answer to compare it: the digest
 * stands for the content, whatever produced it, so no view can go stale behind a version number
 * someone forgot to bump. Answers also say {@code Cache-Control: no-cache, private}: a browser
 * keeps them but asks again each time, and shared caches keep none.
 */
public final class ConditionalGetFilter implements ContainerResponseFilter {
  private final ObjectMapper json;

  public ConditionalGetFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response)
      throws IOException {
    if (!HttpMethod.GET.equals(request.getMethod())
        || response.getStatus() != 200
        || !response.hasEntity()
        || response.getMediaType() == null
        || !response.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)
        || response.getEntity() instanceof byte[]) {
      return;
    }
    byte[] body = json.writeValueAsBytes(response.getEntity());
    String tag = "\"" + Hashes.sha256(body).substring(0, 32) + "\"";
    response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
    response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-cache, private");
    String asked = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
    if (asked != null && names(asked, tag)) {
      response.setStatus(Response.Status.NOT_MODIFIED.getStatusCode());
      response.setEntity(null);
      response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
      return;
    }
    response.setEntity(body, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
  }

  /** Whether an {@code If-None-Match} list names {@code tag} (weak or strong) or is {@code *}. */
  static boolean names(String header, String tag) {
    return Arrays.stream(header.split(","))
        .map(String::trim)
        .map(t -> t.startsWith("W/") ? t.substring(2) : t)
        .anyMatch(t -> t.equals(tag) || t.equals("*"));
  }
}
