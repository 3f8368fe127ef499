package io.strata.controller.security;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authorizer;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.basic.BasicCredentials;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.strata.controller.audit.AuditTags;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
      JerseyEnvironment jersey,
      Supplier<Identities> identities,
      SessionStore sessions,
      LoginThrottle throttle) {
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
            identities,
            throttle,
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

  /**
   * Basic authentication for safe methods; a change with Basic credentials is refused (403). Basic
   * is a password login too, so the {@link LoginThrottle} holds it back as it does the console's
   * (429, audited as a refused login).
   */
  private static final class ReadOnlyBasicFilter
      extends AuthFilter<BasicCredentials, StrataPrincipal> {
    private final Supplier<Identities> identities;
    private final LoginThrottle throttle;
    private final AuthFilter<BasicCredentials, StrataPrincipal> delegate;

    ReadOnlyBasicFilter(
        Supplier<Identities> identities,
        LoginThrottle throttle,
        AuthFilter<BasicCredentials, StrataPrincipal> delegate) {
      this.identities = identities;
      this.throttle = throttle;
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
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        delegate.filter(request);
        return;
      }
      String user = user(header.substring(6).trim());
      Object source = request.getProperty(WebSecurityFilter.SOURCE_ADDRESS);
      String address = source == null ? null : source.toString();
      try {
        var wait = throttle.refusal(user, address);
        if (wait.isPresent()) {
          String tried = identities.get().hasUser(user) ? user : SessionResource.UNKNOWN_USER;
          request.setProperty(AuditTags.ACTION, "login (basic)");
          request.setProperty(AuditTags.PRINCIPAL, tried);
          request.setProperty(AuditTags.PARAMETERS, "user=" + tried);
          request.setProperty(AuditTags.REFUSED_LOGIN, Boolean.TRUE);
          throw new WebApplicationException(ApiErrors.throttled(wait.get()));
        }
        var before = request.getSecurityContext();
        try {
          delegate.filter(request);
        } catch (WebApplicationException e) {
          if (e.getResponse().getStatus() == 401) {
            throttle.failed(user, address);
          }
          throw e;
        }
        if (request.getSecurityContext() != before) {
          throttle.succeeded(user);
        }
      } catch (LoginThrottle.Unavailable e) {
        throw new WebApplicationException(ApiErrors.throttleUnavailable());
      }
    }

    /** The user name of a Basic credential; empty when it cannot be decoded. */
    private static String user(String encoded) {
      try {
        String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? "" : pair.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
  }
}
