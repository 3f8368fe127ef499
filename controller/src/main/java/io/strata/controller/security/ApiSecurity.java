package io.strata.controller.security;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authorizer;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.basic.BasicCredentials;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * Authentication and authorization of the REST API, on Dropwizard's auth module. A request is
 * authenticated by the first of, in order: a console session cookie (with CSRF check on changes), a
 * bearer token, HTTP Basic with a user's password (reads only: a browser replays Basic credentials
 * on cross-site requests, so changes need a session or a token). {@code @RolesAllowed} then admits
 * or refuses it (403), and {@link DenyByDefaultFeature} refuses every method that names no roles.
 */
public final class ApiSecurity {
  private ApiSecurity() {}

  /**
   * Registers authentication (sessions, bearer tokens, Basic for reads), roles and deny-by-default
   * on Jersey. The session routes themselves ({@link SessionResource}) are the application's to
   * register.
   */
  public static DenyByDefaultFeature register(
      JerseyEnvironment jersey, Supplier<Identities> identities, SessionStore sessions) {
    Authorizer<StrataPrincipal> authorizer = (p, role, request) -> p.roles().contains(role);
    AuthFilter<String, StrataPrincipal> session = new SessionAuthFilter(sessions);
    AuthFilter<String, StrataPrincipal> bearer =
        new OAuthCredentialAuthFilter.Builder<StrataPrincipal>()
            .setAuthenticator(token -> identities.get().token(token))
            .setAuthorizer(authorizer)
            .setPrefix("Bearer")
            .setRealm("strata")
            .setUnauthorizedHandler(new ApiErrors.JsonUnauthorizedHandler())
            .buildAuthFilter();
    AuthFilter<BasicCredentials, StrataPrincipal> basic =
        new ReadOnlyBasicFilter(
            new BasicCredentialAuthFilter.Builder<StrataPrincipal>()
                .setAuthenticator(
                    c ->
                        identities
                            .get()
                            .password(
                                c.getUsername(), c.getPassword(), StrataPrincipal.Method.BASIC))
                .setAuthorizer(authorizer)
                .setPrefix("Basic")
                .setRealm("strata")
                .setUnauthorizedHandler(new ApiErrors.JsonUnauthorizedHandler())
                .buildAuthFilter());
    jersey.register(new AuthDynamicFeature(new FirstRefusalChain(List.of(session, bearer, basic))));
    jersey.register(RolesAllowedDynamicFeature.class);
    jersey.register(new ApiErrors.ForbiddenMapper());
    DenyByDefaultFeature denyByDefault = new DenyByDefaultFeature();
    jersey.register(denyByDefault);
    return denyByDefault;
  }

  /** Basic authentication for safe methods; a change with Basic credentials is refused (403). */
  private static final class ReadOnlyBasicFilter
      extends AuthFilter<BasicCredentials, StrataPrincipal> {
    private final AuthFilter<BasicCredentials, StrataPrincipal> delegate;

    ReadOnlyBasicFilter(AuthFilter<BasicCredentials, StrataPrincipal> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
      String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
      if (header != null
          && header.regionMatches(true, 0, "Basic ", 0, 6)
          && !SessionAuthFilter.safe(request.getMethod())) {
        throw new ForbiddenException(
            ApiErrors.forbidden(
                "HTTP Basic is accepted for reads only; changes need a bearer token or a console"
                    + " session"));
      }
      delegate.filter(request);
    }
  }
}
