package io.strata.controller.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that answers without credentials (logging in and out). Every other method
 * must name its roles with {@code @RolesAllowed}, or {@link DenyByDefaultFeature} refuses it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Public {}
