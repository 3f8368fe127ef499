package io.strata.controller.audit;

/**
 * Request attributes through which the API tells the {@link AuditFilter} what it cannot see from
 * the servlet request alone. Jersey's request properties are these same servlet attributes.
 */
public final class AuditTags {
  /** The principal's name; for a login, the name that was tried. */
  public static final String PRINCIPAL = "strata.audit.principal";

  /** The principal's roles as one label. */
  public static final String ROLE = "strata.audit.role";

  /** The action: method and route template, e.g. {@code POST /v1/agents/{id}/heartbeat}. */
  public static final String ACTION = "strata.audit.action";

  /**
   * What to digest instead of the request body, when the body carries a secret of little entropy (a
   * password) whose SHA-256 could be reversed by guessing.
   */
  public static final String PARAMETERS = "strata.audit.parameters";

  /**
   * Set on a read refused as a password login (HTTP Basic held back by the login throttle): reads
   * are not recorded, but a refused login is.
   */
  public static final String REFUSED_LOGIN = "strata.audit.refusedLogin";

  private AuditTags() {}
}
