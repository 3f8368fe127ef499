// Warnings above the views when replicas run by other files than this one: other users and
// tokens (a revoked token may still open them), or other policies (whichever leads plans by its
// own); and when this replica's policy files cannot be used (it plans by those it read before).
import { byId } from "../core/dom.js";
import { dateTime } from "../core/format.js";

export function render({ replicas, policies }) {
  const lines = [];
  if (policies.refused) {
    const problems = policies.refused.problems;
    lines.push("This replica's policy files changed in a way it cannot use; it plans by the"
      + " policies read at " + dateTime(policies.readAt) + ". " + problems[0]
      + (problems.length > 1 ? " (and " + (problems.length - 1) + " more problems)" : "") + ".");
  }
  if (!replicas.identityFilesAgree) {
    lines.push("The users and tokens files of " + replicas.identityFilesDiffering.join(", ")
      + " grant other users, roles or tokens than this replica's: a token revoked on one replica"
      + " may still open another. Make the files the same on every replica.");
  }
  if (!replicas.policiesAgree) {
    lines.push("Replica(s) " + replicas.policiesDiffering.join(", ") + " run by other storage"
      + " policies, datasets or reconcile settings than this replica: whichever leads plans by"
      + " its own. Make them the same on every replica.");
  }
  const note = byId("identities");
  note.textContent = lines.join(" ");
  note.hidden = lines.length === 0;
}
