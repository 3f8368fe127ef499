package io.strata.controller.security;

import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deny by default: a resource method that names no roles ({@code @RolesAllowed} or
 * {@code @DenyAll}, on the method or its class) and is not {@link Public} answers 403 to everyone,
 * and is named in an error at start-up. {@code @PermitAll} does not count: every route says who it
 * is for.
 */
public final class DenyByDefaultFeature implements DynamicFeature {
  private static final Logger LOG = LoggerFactory.getLogger(DenyByDefaultFeature.class);

  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  @Override
  public void configure(ResourceInfo info, FeatureContext context) {
    Method method = info.getResourceMethod();
    if (declaresAccess(info.getResourceClass(), method)) {
      return;
    }
    String name = info.getResourceClass().getName() + "." + method.getName();
    // Jersey's own OPTIONS answers are refused too, but they are not a route someone forgot.
    if (refused.add(name) && !name.startsWith("org.glassfish.jersey.")) {
      LOG.error("{} names no roles: it answers 403 to everyone until it does", name);
    }
    context.register(new Refuse());
  }

  /** True when {@code method} is public or names the roles it admits. */
  public static boolean declaresAccess(Class<?> resource, Method method) {
    return method.isAnnotationPresent(Public.class)
        || method.isAnnotationPresent(RolesAllowed.class)
        || method.isAnnotationPresent(DenyAll.class)
        || resource.isAnnotationPresent(RolesAllowed.class)
        || resource.isAnnotationPresent(DenyAll.class);
  }

  /** The methods refused so far, for tests and start-up checks. */
  public Set<String> refused() {
    return Set.copyOf(refused);
  }

  @Priority(Priorities.AUTHENTICATION - 1)
  private static final class Refuse implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      request.abortWith(
          ApiErrors.forbidden("this route names no roles, so it is refused to everyone"));
    }
  }
}
