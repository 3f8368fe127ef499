package io.strata.controller.files;

import java.nio.file.Path;
import java.util.List;

/**
 * What a change of files a replica reads again came to, for the audit trail.
 *
 * @param what what the files hold, as the audit action names it ({@code policies}, {@code
 *     identities})
 * @param files the files
 * @param sha256 a digest of what is in force after the change when taken, or of the problems when
 *     refused
 * @param taken true when the change is in force, false when it was refused and what was read before
 *     stays in force
 */
public record FileChange(String what, List<Path> files, String sha256, boolean taken) {
  public FileChange {
    files = List.copyOf(files);
  }
}
