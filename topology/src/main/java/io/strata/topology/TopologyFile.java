package io.strata.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology file: tiers, a flat list of domains with their parents, and pools. YAML or JSON
 * (JSON is YAML). Parsing is pure: text in, a validated {@link ClusterMap} out.
 *
 * <pre>
 * tiers:
 *   - {name: hot-nvme, media: nvme, erasure: "EC 8+3", costPerTbMonth: 45, fillCeiling: 0.85}
 * domains:
 *   - {id: cn-east, level: region}
 *   - {id: changzhou-zhonglou, level: site, parent: cn-east, labels: {city: Changzhou}}
 * pools:
 *   - {id: cz-a-r01-hot, domain: cz-a-r01, tier: hot-nvme, endpoint: "http://10.0.0.1:9000",
 *      capacity: 40TiB, credentials: "env:STRATA_POOL_CZ_A_R01"}
 * </pre>
 */
public final class TopologyFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(
              FleetYaml.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** The order in which exceptions are written, so that equal maps give equal text. */
  static final java.util.Comparator<CopyRemap> REMAP_ORDER =
      java.util.Comparator.comparing(CopyRemap::shard).thenComparing(CopyRemap::from);

  private TopologyFile() {}

  /**
   * The document as written in a file.
   *
   * @param remaps placement exceptions written by the balancer; usually absent from hand-written
   *     files
   */
  public record Document(
      Long epoch,
      List<TierEntry> tiers,
      List<DomainEntry> domains,
      List<PoolEntry> pools,
      List<RemapEntry> remaps) {
    public Document(
        Long epoch, List<TierEntry> tiers, List<DomainEntry> domains, List<PoolEntry> pools) {
      this(epoch, tiers, domains, pools, null);
    }
  }

  /** A placement exception as written in a file; see {@link CopyRemap}. */
  public record RemapEntry(String shard, String from, String to) {}

  /** A tier as written in a file. */
  public record TierEntry(
      String name, String media, String erasure, Double costPerTbMonth, Double fillCeiling) {}

  /** A domain as written in a file. */
  public record DomainEntry(
      String id, String level, String parent, Map<String, String> labels, String state) {}

  /**
   * A pool as written in a file; capacity is a size such as {@code 40TiB}.
   *
   * @param slot the pool's permanent placement slot ({@link ClusterMap#slot}); when absent, the
   *     next free one in file order. Write it once a fleet is live so that reordering the file
   *     cannot move data.
   * @param objectLock {@code none} (the default), {@code governance} or {@code compliance}: whether
   *     the pool locks the copies Strata writes (see {@link ObjectLock}); its buckets must have
   *     object lock enabled
   */
  public record PoolEntry(
      String id,
      String domain,
      String tier,
      String endpoint,
      String capacity,
      String credentials,
      String state,
      Double weight,
      Integer slot,
      String objectLock) {
    public PoolEntry(
        String id,
        String domain,
        String tier,
        String endpoint,
        String capacity,
        String credentials,
        String state,
        Double weight,
        Integer slot) {
      this(id, domain, tier, endpoint, capacity, credentials, state, weight, slot, null);
    }

    public PoolEntry(
        String id,
        String domain,
        String tier,
        String endpoint,
        String capacity,
        String credentials,
        String state,
        Double weight) {
      this(id, domain, tier, endpoint, capacity, credentials, state, weight, null, null);
    }
  }

  /**
   * Parses and validates a topology.
   *
   * @param source the file name, used in messages
   * @throws TopologyException naming the source, and the line, field or item of every problem
   */
  public static ClusterMap parse(String source, String text) {
    Document doc = read(source, text, Document.class);
    if (doc == null) {
      throw new TopologyException(List.of(source + ": the file is empty"));
    }
    return toMap(source, doc);
  }

  /**
   * Reads one pool in the form of a topology file's {@code pools} entries (YAML, or JSON), as
   * strictly as a file's: unknown keys and values of the wrong type are refused. It is not checked
   * against a map; {@link #parse} of a document holding it does that.
   *
   * @param source what the text is, used in messages
   * @throws TopologyException naming the source and the line and column of the problem
   */
  public static PoolEntry poolEntry(String source, String text) {
    PoolEntry entry = text == null || text.isBlank() ? null : read(source, text, PoolEntry.class);
    if (entry == null) {
      throw new TopologyException(List.of(source + ": no pool given"));
    }
    return entry;
  }

  private static <T> T read(String source, String text, Class<T> type) {
    try {
      return YAML.readValue(text, type);
    } catch (UnrecognizedPropertyException e) {
      throw new TopologyException(
          List.of(
              source
                  + where(e)
                  + ": unknown key '"
                  + e.getPropertyName()
                  + "'; allowed: "
                  + e.getKnownPropertyIds()));
    } catch (JsonProcessingException e) {
      throw new TopologyException(List.of(source + where(e) + ": " + e.getOriginalMessage()));
    }
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
  }

  private static ClusterMap toMap(String source, Document doc) {
    List<String> problems = new ArrayList<>();
    List<Tier> tiers = new ArrayList<>();
    for (TierEntry t : nonNull(doc.tiers())) {
      if (t.name() == null || t.name().isBlank()) {
        problems.add(source + ": a tier has no name");
        continue;
      }
      tiers.add(
          new Tier(
              t.name(),
              t.media(),
              t.erasure(),
              t.costPerTbMonth() == null ? 0 : t.costPerTbMonth(),
              t.fillCeiling() == null ? 0.85 : t.fillCeiling()));
    }
    List<Domain> domains = new ArrayList<>();
    for (DomainEntry d : nonNull(doc.domains())) {
      if (d.id() == null || d.id().isBlank()) {
        problems.add(source + ": a domain has no id");
        continue;
      }
      var level = DomainLevel.parse(d.level());
      var state = state(source, "domain", d.id(), d.state(), problems);
      if (level.isEmpty()) {
        problems.add(
            source
                + ": domain '"
                + d.id()
                + "': level '"
                + d.level()
                + "' is not one of region, site, room, row, rack, node");
      }
      if (level.isPresent() && state.isPresent()) {
        domains.add(new Domain(d.id(), level.get(), d.parent(), d.labels(), state.get()));
      }
    }
    List<Pool> pools = new ArrayList<>();
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (PoolEntry p : nonNull(doc.pools())) {
      if (p.id() == null || p.id().isBlank()) {
        problems.add(source + ": a pool has no id");
        continue;
      }
      long capacity = 0;
      try {
        capacity = p.capacity() == null ? 0 : ByteSize.parse(p.capacity());
      } catch (IllegalArgumentException e) {
        problems.add(source + ": pool '" + p.id() + "': capacity " + e.getMessage());
      }
      var state = state(source, "pool", p.id(), p.state(), problems);
      var lock = ObjectLock.parse(p.objectLock());
      if (lock.isEmpty()) {
        problems.add(
            source
                + ": pool '"
                + p.id()
                + "': objectLock '"
                + p.objectLock()
                + "' is not one of none, governance, compliance");
      }
      if (state.isEmpty() || lock.isEmpty()) {
        continue;
      }
      if (p.slot() != null) {
        slots.put(p.id(), p.slot());
      }
      pools.add(
          new Pool(
              p.id(),
              p.domain(),
              p.tier(),
              p.endpoint(),
              capacity,
              p.credentials(),
              state.get(),
              p.weight() == null ? Pool.weightOf(capacity) : p.weight(),
              lock.get()));
    }
    try {
      List<CopyRemap> remaps =
          nonNull(doc.remaps()).stream()
              .map(r -> new CopyRemap(r.shard(), r.from(), r.to()))
              .toList();
      ClusterMap map =
          ClusterMap.of(
              doc.epoch() == null ? 1 : doc.epoch(), tiers, domains, pools, slots, remaps);
      if (!problems.isEmpty()) {
        throw new TopologyException(problems);
      }
      return map;
    } catch (TopologyException e) {
      problems.addAll(e.problems().stream().map(m -> source + ": " + m).toList());
      throw new TopologyException(problems);
    }
  }

  /** A state as written (absent means up); an unknown word is a problem naming the item. */
  private static java.util.Optional<DomainState> state(
      String source, String kind, String id, String text, List<String> problems) {
    if (text == null) {
      return java.util.Optional.of(DomainState.UP);
    }
    var state = DomainState.parse(text);
    if (state.isEmpty()) {
      problems.add(
          source
              + ": "
              + kind
              + " '"
              + id
              + "': state '"
              + text
              + "' is not one of up, draining, out, down");
    }
    return state;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The map as a document, ready for {@link #write}. */
  public static Document document(ClusterMap map) {
    List<TierEntry> tiers =
        map.tiers().values().stream()
            .map(
                t ->
                    new TierEntry(
                        t.name(), t.media(), t.erasure(), t.costPerTbMonth(), t.fillCeiling()))
            .toList();
    List<DomainEntry> domains =
        map.domains().values().stream()
            .map(
                d ->
                    new DomainEntry(
                        d.id(),
                        d.level().label(),
                        d.parent(),
                        d.labels().isEmpty() ? null : d.labels(),
                        d.state() == DomainState.UP ? null : d.state().label()))
            .toList();
    List<PoolEntry> pools =
        map.pools().values().stream()
            .map(
                p ->
                    new PoolEntry(
                        p.id(),
                        p.domain(),
                        p.tier(),
                        p.endpoint(),
                        Long.toString(p.capacityBytes()),
                        p.credentialsRef(),
                        p.state() == DomainState.UP ? null : p.state().label(),
                        p.weight(),
                        map.slot(p.id()),
                        p.objectLock() == ObjectLock.NONE ? null : p.objectLock().label()))
            .toList();
    List<RemapEntry> remaps =
        map.allRemaps().stream()
            .sorted(REMAP_ORDER)
            .map(r -> new RemapEntry(r.shard(), r.from(), r.to()))
            .toList();
    return new Document(map.epoch(), tiers, domains, pools, remaps.isEmpty() ? null : remaps);
  }

  /** Writes the map as YAML that {@link #parse} reads back to an equal map. */
  public static String write(ClusterMap map) {
    try {
      return YAML.writeValueAsString(document(map));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cluster map could not be written", e);
    }
  }
}
