package io.strata.fleet.capacity;

import io.strata.fleet.capacity.TierOutlook.Group;
import io.strata.fleet.capacity.TierOutlook.Status;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When to order racks, and how many, so that no tier at any site passes its fill ceiling within the
 * horizon at the chosen confidence: pure, no I/O.
 *
 * <p>For each tier at each site, day by day, the projection's one-sided upper bound at the
 * confidence is held against the limit with the racks planned so far. On the first day it would
 * pass, enough racks of the tier's model are planned to hold the upper bound for the next {@value
 * #COVER_DAYS} days (one order a quarter at most, rather than one a day), ordered the model's lead
 * time before that day; an order whose day is already past is due today and marked late. A group
 * with no pool taking copies (drained, out, no pools) is not planned: its data moves to the tier's
 * other sites, or the tier needs pools a plan cannot place; it is listed with the reason.
 */
public final class PurchasePlan {
  /** How many days of need one order covers. */
  public static final int COVER_DAYS = 90;

  private PurchasePlan() {}

  /**
   * A kind of rack that can be bought for a tier.
   *
   * @param name what the planners call it
   * @param tier the tier its pools join
   * @param usableBytes usable capacity of one rack (after erasure coding or RAID)
   * @param powerKw power one rack draws
   * @param cost price of one rack, in the planners' currency
   * @param leadTimeDays days from order to the rack taking copies
   */
  public record RackModel(
      String name, String tier, long usableBytes, double powerKw, double cost, int leadTimeDays) {

    /**
     * Checks the model against the horizon.
     *
     * @param field how the caller names this model, such as {@code rackModels[0]}
     * @throws IllegalArgumentException naming the field and what is allowed
     */
    public void check(String field, int horizonDays) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(field + ".name: a rack model needs a name");
      }
      if (tier == null || tier.isBlank()) {
        throw new IllegalArgumentException(field + ".tier: a rack model needs a tier");
      }
      if (usableBytes <= 0) {
        throw new IllegalArgumentException(
            field + ".usableBytes: " + usableBytes + " is not a capacity; it must be more than 0");
      }
      if (!(powerKw >= 0) || Double.isInfinite(powerKw)) {
        throw new IllegalArgumentException(field + ".powerKw: " + powerKw + " is not 0 or more");
      }
      if (!(cost >= 0) || Double.isInfinite(cost)) {
        throw new IllegalArgumentException(field + ".cost: " + cost + " is not 0 or more");
      }
      if (leadTimeDays < 0 || leadTimeDays > horizonDays) {
        throw new IllegalArgumentException(
            field
                + ".leadTimeDays: "
                + leadTimeDays
                + " is not between 0 and the horizon of "
                + horizonDays
                + " days");
      }
    }
  }

  /**
   * Racks to order for one tier at one site.
   *
   * @param orderBy the last day to order them on
   * @param neededBy the day the tier would otherwise pass its limit at the confidence
   * @param late whether {@code orderBy} was already past: they are due today, and arrive after
   *     {@code neededBy}
   */
  public record Order(
      String tier,
      String site,
      String model,
      int racks,
      long addedBytes,
      LocalDate orderBy,
      LocalDate neededBy,
      double cost,
      double powerKw,
      boolean late) {}

  /** A group the plan leaves out, and why. */
  public record Unplanned(String tier, String site, String reason) {}

  /**
   * @param confidence the one-sided confidence that no tier passes its limit
   * @param orders by order date
   * @param costByQuarter the orders' cost by the quarter they are placed in ({@code 2027-Q1})
   * @param unplanned groups the plan cannot cover
   */
  public record Plan(
      double confidence,
      int horizonDays,
      List<Order> orders,
      Map<String, Double> costByQuarter,
      List<Unplanned> unplanned) {
    public double totalCost() {
      return orders.stream().mapToDouble(Order::cost).sum();
    }
  }

  /**
   * The plan for {@code groups}, made on {@code today}.
   *
   * @param models each tier's rack model, by tier
   * @param confidence one-sided, from 0.5 to 0.999
   * @throws IllegalArgumentException for a confidence out of bounds or a model that fails its check
   */
  public static Plan plan(
      List<Group> groups, Map<String, RackModel> models, double confidence, LocalDate today) {
    if (!(confidence >= 0.5 && confidence <= 0.999)) {
      throw new IllegalArgumentException(
          "confidence: " + confidence + " is not between 0.5 and 0.999");
    }
    List<Order> orders = new ArrayList<>();
    List<Unplanned> unplanned = new ArrayList<>();
    for (Group g : groups) {
      RackModel model = models.get(g.tier());
      if (g.fill().status() == Status.NO_CAPACITY) {
        unplanned.add(new Unplanned(g.tier(), g.site(), g.fill().reason()));
        continue;
      }
      if (model == null) {
        if (needs(g, confidence)) {
          unplanned.add(new Unplanned(g.tier(), g.site(), "no rack model for tier " + g.tier()));
        }
        continue;
      }
      model.check("rackModels." + g.tier(), g.horizonDays());
      orders.addAll(orders(g, model, confidence, today));
    }
    orders.sort(
        java.util.Comparator.comparing(Order::orderBy)
            .thenComparing(Order::tier)
            .thenComparing(o -> String.valueOf(o.site())));
    Map<String, Double> byQuarter = new TreeMap<>();
    for (Order o : orders) {
      byQuarter.merge(quarter(o.orderBy()), o.cost(), Double::sum);
    }
    return new Plan(confidence, horizonOf(groups), orders, byQuarter, unplanned);
  }

  private static int horizonOf(List<Group> groups) {
    return groups.isEmpty() ? 0 : groups.get(0).horizonDays();
  }

  /** The one-sided upper bound at {@code confidence}: the two-sided one at {@code 2c − 1}. */
  static double upper(Group g, int i, double confidence) {
    return g.bound(i, 2 * confidence - 1, true);
  }

  private static boolean needs(Group g, double confidence) {
    for (int i = 0; i <= g.horizonDays(); i++) {
      if (upper(g, i, confidence) > g.limitBytes()) {
        return true;
      }
    }
    return false;
  }

  private static List<Order> orders(Group g, RackModel model, double confidence, LocalDate today) {
    List<Order> out = new ArrayList<>();
    double perRack = Math.floor(model.usableBytes() * g.ceiling());
    double limit = g.limitBytes();
    int horizon = g.horizonDays();
    for (int i = 0; i <= horizon; i++) {
      if (upper(g, i, confidence) <= limit) {
        continue;
      }
      double peak = 0;
      for (int j = i; j <= Math.min(horizon, i + COVER_DAYS); j++) {
        peak = Math.max(peak, upper(g, j, confidence));
      }
      int racks = (int) Math.ceil((peak - limit) / perRack);
      int orderDay = i - model.leadTimeDays();
      out.add(
          new Order(
              g.tier(),
              g.site(),
              model.name(),
              racks,
              racks * model.usableBytes(),
              today.plusDays(Math.max(0, orderDay)),
              today.plusDays(i),
              racks * model.cost(),
              racks * model.powerKw(),
              orderDay < 0));
      limit += racks * perRack;
    }
    return out;
  }

  /** {@code 2027-Q1}. */
  public static String quarter(LocalDate day) {
    return day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1);
  }
}
