package io.strata.controller.capacity;

import io.strata.fleet.capacity.PurchasePlan;
import io.strata.topology.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What the plan's reports ({@link PlanWorkbook}, {@link PlanPdf}) share: the lines above them. */
final class PlanReport {
  private PlanReport() {}

  static List<String> heading(CapacityPlanner.PlanView view) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Made "
            + CapacityReport.MINUTE.format(view.at())
            + " UTC from "
            + view.historyDays()
            + " days of history to "
            + view.today()
            + "; horizon "
            + view.horizonDays()
            + " days; racks bought so that no tier passes its ceiling at "
            + String.format(Locale.ROOT, "%.1f%%", view.confidence() * 100)
            + " confidence.");
    lines.add("Method: " + view.method() + ".");
    Map<String, String> methods = new TreeMap<>();
    view.groups().forEach(g -> methods.put(g.tier(), g.method()));
    List<String> tiers = new ArrayList<>();
    methods.forEach((tier, method) -> tiers.add(tier + " " + method));
    if (!tiers.isEmpty()) {
      lines.add("Tiers projected: " + String.join(", ", tiers) + ".");
    }
    if (!view.datasets().isEmpty()) {
      lines.add("Through their policies: " + String.join(", ", view.datasets()) + ".");
    }
    List<String> whatIf = new ArrayList<>();
    for (CapacityPlanner.Onboarding o : view.onboard()) {
      whatIf.add(
          o.dataset() + " onboarded under " + o.policy() + " writing " + o.perDay() + "/day");
    }
    for (CapacityPlanner.AddedRacks a : view.addRacks()) {
      whatIf.add(a.racks() + " racks added to " + a.tier() + " at " + a.site());
    }
    if (!whatIf.isEmpty()) {
      lines.add("What if: " + String.join("; ", whatIf) + ".");
    }
    view.notes().forEach(n -> lines.add("Note: " + n + "."));
    lines.add(
        "Total cost "
            + money(view.plan().totalCost())
            + " for "
            + view.plan().orders().stream().mapToInt(PurchasePlan.Order::racks).sum()
            + " racks.");
    return lines;
  }

  static String money(double amount) {
    return String.format(Locale.ROOT, "%,.0f", amount);
  }

  static String label(CapacityPlanner.GroupView g) {
    return g.tier() + " @ " + (g.site() == null ? "-" : g.site());
  }

  /** Where a group stands, as a person reads it. */
  static String standing(CapacityPlanner.GroupView g) {
    return switch (g.status()) {
      case "no-capacity" -> "no usable capacity: " + g.reason();
      case "full" -> "full now";
      case "shrinking" -> "shrinking";
      case "not-within-horizon" -> "not full within the horizon";
      case "may-fill" -> "may fill (95% upper bound)";
      default -> "full on " + g.fullOn();
    };
  }

  static String interval(List<java.time.LocalDate> range) {
    if (range.get(0) == null) {
      return "-";
    }
    return range.get(0) + " to " + (range.get(1) == null ? "after the horizon" : range.get(1));
  }

  static String size(long bytes) {
    return bytes < 0 ? "-" + ByteSize.format(-bytes) : ByteSize.format(bytes);
  }
}
