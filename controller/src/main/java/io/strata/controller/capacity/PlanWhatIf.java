package io.strata.controller.capacity;

import io.strata.controller.capacity.CapacityPlanner.AddedRacks;
import io.strata.controller.capacity.CapacityPlanner.Onboarding;
import io.strata.controller.capacity.CapacityPlanner.PlanRequest;
import io.strata.controller.capacity.CapacityPlanner.RackModelBody;
import io.strata.controller.capacity.CapacityPlanner.Settings;
import io.strata.fleet.capacity.PhaseFlow;
import io.strata.fleet.capacity.PolicyForecast.DatasetIntake;
import io.strata.fleet.capacity.PurchasePlan.RackModel;
import io.strata.fleet.capacity.TierOutlook.TierSite;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ByteSize;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's what-if read against the map and the policies: each part checked and turned into what
 * the pure planner takes, or refused with an {@link IllegalArgumentException} that names the field
 * ({@code addRacks[0].site}) and what is allowed. Nothing is changed either way.
 */
final class PlanWhatIf {
  private PlanWhatIf() {}

  /**
   * The policies in force with those of the what-if in place of (or beside) the ones of the same
   * name, each checked against the map as the controller checks its policy files.
   */
  static PolicySet policies(PolicySet inForce, ClusterMap map, Map<String, String> changed) {
    if (changed == null || changed.isEmpty()) {
      return inForce;
    }
    Map<String, StoragePolicy> byName = new LinkedHashMap<>();
    inForce.policies().forEach(p -> byName.put(p.name(), p));
    for (Map.Entry<String, String> e : changed.entrySet()) {
      String field = "policies." + e.getKey();
      PolicyLoadResult read =
          PolicyLoader.load(
              List.of(
                  new PolicySource(e.getKey() + ".yaml", e.getValue() == null ? "" : e.getValue())),
              map);
      if (!read.isValid()) {
        throw new IllegalArgumentException(
            field + ": " + read.errors().stream().map(Object::toString).toList());
      }
      for (StoragePolicy p : read.policies()) {
        if (!p.name().equals(e.getKey())) {
          throw new IllegalArgumentException(
              field + ": the text is policy '" + p.name() + "', not '" + e.getKey() + "'");
        }
        byName.put(p.name(), p);
      }
    }
    return PolicySet.of(List.copyOf(byName.values()));
  }

  /** The rack models of the request, or else of the configuration, by tier. */
  static Map<String, RackModel> models(
      ClusterMap map, Settings settings, PlanRequest request, int horizon, List<String> notes) {
    Map<String, RackModel> out = new LinkedHashMap<>();
    if (request.rackModels() != null) {
      for (int i = 0; i < request.rackModels().size(); i++) {
        String field = "rackModels[" + i + "]";
        RackModelBody b = request.rackModels().get(i);
        if (b == null) {
          throw new IllegalArgumentException(field + ": a rack model, not null");
        }
        long usable;
        try {
          usable = b.usable() == null ? 0 : signedSize(b.usable());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(field + ".usable: " + e.getMessage(), e);
        }
        if (usable <= 0) {
          throw new IllegalArgumentException(
              field + ".usable: " + b.usable() + " is not a capacity; it must be more than 0");
        }
        RackModel m =
            new RackModel(
                b.name(),
                b.tier(),
                usable,
                b.powerKw() == null ? 0 : b.powerKw(),
                b.cost() == null ? 0 : b.cost(),
                b.leadTimeDays() == null ? 90 : b.leadTimeDays());
        m.check(field, horizon);
        knownTier(map, field + ".tier", m.tier());
        if (out.put(m.tier(), m) != null) {
          throw new IllegalArgumentException(
              field + ".tier: a second rack model for tier '" + m.tier() + "'");
        }
      }
      return out;
    }
    for (RackModel m : settings.rackModels()) {
      if (!map.tiers().containsKey(m.tier())) {
        notes.add(
            "rack model "
                + m.name()
                + " is for tier "
                + m.tier()
                + ", which the map does not have");
        continue;
      }
      if (m.leadTimeDays() > horizon) {
        notes.add(
            "rack model "
                + m.name()
                + " takes "
                + m.leadTimeDays()
                + " days to arrive, beyond the horizon");
        continue;
      }
      out.put(m.tier(), m);
    }
    return out;
  }

  /** A size that may be negative, so that {@code -1PB} is refused as a capacity, not as text. */
  static long signedSize(String text) {
    String t = text.trim();
    return t.startsWith("-") ? -ByteSize.parse(t.substring(1)) : ByteSize.parse(t);
  }

  static List<DatasetIntake> onboarded(
      PolicySet policies, ClusterMap map, List<Onboarding> onboard) {
    List<DatasetIntake> out = new ArrayList<>();
    if (onboard == null) {
      return out;
    }
    for (int i = 0; i < onboard.size(); i++) {
      String field = "onboard[" + i + "]";
      Onboarding o = onboard.get(i);
      if (o == null || o.dataset() == null || o.dataset().isBlank()) {
        throw new IllegalArgumentException(field + ".dataset: a dataset needs a name");
      }
      StoragePolicy policy =
          policies
              .named(o.policy() == null ? "" : o.policy())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          field
                              + ".policy: no policy '"
                              + o.policy()
                              + "'; the policies are "
                              + policies.policies().stream().map(StoragePolicy::name).toList()));
      long perDay;
      try {
        perDay = ByteSize.parse(o.perDay() == null ? "" : o.perDay());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ".perDay: " + e.getMessage(), e);
      }
      PhaseFlow flow = PhaseFlow.of(policy);
      for (String tier : flow.tiers()) {
        knownTier(map, field + ".policy", tier);
      }
      out.add(DatasetIntake.planned(o.dataset(), flow, perDay));
    }
    return out;
  }

  static Map<TierSite, Long> added(
      ClusterMap map, Map<String, RackModel> models, List<AddedRacks> addRacks) {
    Map<TierSite, Long> out = new LinkedHashMap<>();
    if (addRacks == null) {
      return out;
    }
    for (int i = 0; i < addRacks.size(); i++) {
      String field = "addRacks[" + i + "]";
      AddedRacks a = addRacks.get(i);
      if (a == null) {
        throw new IllegalArgumentException(field + ": racks to add, not null");
      }
      knownTier(map, field + ".tier", a.tier());
      Domain site = a.site() == null ? null : map.domains().get(a.site());
      if (site == null || site.level() != DomainLevel.SITE) {
        throw new IllegalArgumentException(
            field + ".site: '" + a.site() + "' is not a site of the map");
      }
      if (a.racks() == null || a.racks() < 1) {
        throw new IllegalArgumentException(field + ".racks: " + a.racks() + " is not 1 or more");
      }
      RackModel m = models.get(a.tier());
      if (m == null) {
        throw new IllegalArgumentException(
            field + ".tier: no rack model for tier '" + a.tier() + "' to add racks of");
      }
      out.merge(new TierSite(a.tier(), a.site()), a.racks() * m.usableBytes(), Long::sum);
    }
    return out;
  }

  static void knownTier(ClusterMap map, String field, String tier) {
    if (tier == null || !map.tiers().containsKey(tier)) {
      throw new IllegalArgumentException(
          field + ": unknown tier '" + tier + "'; the map has " + map.tiers().keySet());
    }
  }
}
