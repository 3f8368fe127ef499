package io.strata.policy.cli;

import io.strata.policy.evaluate.Evaluation;
import io.strata.policy.model.Movement;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.model.TimeWindow;
import io.strata.topology.ByteSize;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An evaluation as operators read it: one labelled line per question (which phase, which rule, what
 * happens next, may it be deleted and why). Times are shown in the policy's time zone.
 * Deterministic, so that its output can be compared with expected text.
 */
public final class ExplainText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx", Locale.ROOT);

  private ExplainText() {}

  /**
   * Formats an evaluation.
   *
   * @param dataset the dataset the object is in, or {@code null} when not given
   * @param selectorMismatches why the policy's selector does not take the object; empty when it
   *     does
   */
  public static String format(Evaluation e, String dataset, List<String> selectorMismatches) {
    StoragePolicy p = e.policy();
    StringBuilder out = new StringBuilder();
    line(out, "policy", p.name() + " (" + p.file() + ")");
    line(
        out,
        "object",
        (dataset == null ? "" : dataset + "/")
            + e.object().key()
            + ", "
            + ByteSize.format(e.object().size())
            + ", last modified "
            + time(p, e.object().lastModified()));
    if (dataset != null) {
      line(
          out,
          "dataset",
          p.claims(dataset)
              ? "claimed by "
                  + p.datasets().stream().map(Object::toString).collect(Collectors.joining(", "))
              : "NOT claimed: " + dataset + " matches none of " + p.datasets());
    }
    line(
        out,
        "selector",
        selectorMismatches.isEmpty()
            ? "takes it (" + p.selector() + ")"
            : "does NOT take it: " + String.join("; ", selectorMismatches));
    line(out, "at", time(p, e.at()) + " (" + p.timeZone() + ")");
    line(out, "age from", e.age().source() + " -> " + time(p, e.age().reference()));
    line(out, "phase", e.phase().after() + ", since " + time(p, e.phaseSince()));
    line(out, "rule", e.rule().toString());
    line(
        out,
        "next",
        e.nextPhase() == null
            ? "none: this is the last phase"
            : e.nextPhase().after()
                + " at "
                + time(p, e.nextTransition())
                + " -> "
                + e.nextPhase().rule()
                + (e.nextMoveAt().equals(e.nextTransition())
                    ? ""
                    : "; moves from " + time(p, e.nextMoveAt()) + ", the next movement window"));
    line(out, "movement", movement(p.movement(), e.movementOpen()));
    if (p.encryption() != null) {
      line(out, "encryption", p.encryption() + ", asked of every copy Strata writes");
    }
    line(
        out,
        "deletion",
        e.deletion().allowed()
            ? "allowed: " + e.deletion().reason()
            : "refused"
                + (e.deletion().earliest() == null
                    ? ""
                    : " until " + time(p, e.deletion().earliest()))
                + ": "
                + e.deletion().reason());
    line(
        out,
        "expiry",
        e.expiresAt() == null
            ? "never"
            : (e.expired() ? "expired at " : "at ")
                + time(p, e.expiresAt())
                + " (expiry "
                + p.expiry()
                + ")"
                + (p.retention().legalHold() && !e.at().isBefore(e.expiresAt())
                    ? ", suspended by the legal hold"
                    : ""));
    if (p.retention().writeOnce()) {
      line(out, "write once", "yes: no overwrite or delete while retained (S3 object lock)");
    }
    return out.toString();
  }

  private static String movement(Movement m, boolean open) {
    String windows =
        m.windows().isEmpty()
            ? "any time"
            : (open ? "open now" : "closed now")
                + " (windows "
                + m.windows().stream().map(TimeWindow::toString).collect(Collectors.joining(", "))
                + ")";
    return windows
        + ", priority "
        + m.priority()
        + ", bandwidth "
        + (m.bandwidth() == null ? "uncapped" : m.bandwidth().toString());
  }

  private static String time(StoragePolicy p, Instant t) {
    return TIME.format(t.atZone(p.timeZone()));
  }

  private static void line(StringBuilder out, String label, String text) {
    out.append(String.format(Locale.ROOT, "%-11s %s\n", label + ":", text));
  }
}
