package io.strata.bench.soak;

import io.strata.agent.mover.DeletionRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every deletion an agent recorded against the copies that existed elsewhere at that moment:
 * a copy deleted while fewer than its phase's copies existed on other pools, with the right
 * content, is an early delete. When a copy existed is known from the pools' contents at the end
 * (its LastModified, its content read back), from the later deletion records of the same object on
 * other pools (each names the LastModified and SHA-256 marker of what it deleted), and from the
 * contents of the lost pool taken just before it was lost. A copy known by none of these does not
 * count, so the check errs towards finding early deletes, never towards hiding one.
 */
final class DeletionAudit {
  /** A copy known to have existed from {@code from} until {@code until} (null: still there). */
  record Span(String pool, Instant from, Instant until, boolean rightContent) {
    boolean covers(Instant at) {
      return !from.isAfter(at) && (until == null || until.isAfter(at));
    }
  }

  /** An early delete: the record, and the copies elsewhere that existed then. */
  record EarlyDelete(DeletionRecord record, int required, List<String> others) {}

  private final List<DeletionRecord> records = new ArrayList<>();
  private int unreadable;

  /** Reads every agent's records; a line cut short by a kill is counted as unreadable. */
  void read(List<Path> files) throws IOException {
    for (Path file : files) {
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(DeletionRecord.parse(line));
        } catch (IllegalArgumentException e) {
          unreadable++;
        }
      }
    }
  }

  List<DeletionRecord> records() {
    return List.copyOf(records);
  }

  int unreadable() {
    return unreadable;
  }

  /**
   * The early deletes among the records.
   *
   * @param written what the generator wrote, by {@code dataset/key}
   * @param spans the copies known to exist now or to have existed, by {@code dataset/key}, besides
   *     the deleted copies of the records themselves
   * @param check the phase rules
   */
  List<EarlyDelete> earlyDeletes(
      Map<String, LoadGenerator.Written> written,
      Map<String, List<Span>> spans,
      PlacementCheck check) {
    Map<String, List<Span>> all = new HashMap<>();
    spans.forEach((k, v) -> all.put(k, new ArrayList<>(v)));
    for (DeletionRecord r : records) {
      String id = r.bucket() + "/" + r.key();
      LoadGenerator.Written w = written.get(id);
      if (w == null || r.lastModified() == null) {
        continue;
      }
      boolean right = r.sha256() == null ? r.size() == w.size() : r.sha256().equals(w.sha256());
      all.computeIfAbsent(id, k -> new ArrayList<>())
          .add(new Span(r.pool(), r.lastModified(), r.at(), right));
    }
    List<EarlyDelete> early = new ArrayList<>();
    for (DeletionRecord r : records) {
      String id = r.bucket() + "/" + r.key();
      LoadGenerator.Written w = written.get(id);
      if (w == null) {
        continue; // Not an object of the generator's: none is deleted by the soak's datasets.
      }
      Set<String> others = new HashSet<>();
      for (Span s : all.getOrDefault(id, List.of())) {
        if (!s.pool().equals(r.pool()) && s.rightContent() && s.covers(r.at())) {
          others.add(s.pool());
        }
      }
      int required = check.rule(w, r.at()).totalCopies();
      if (others.size() < required) {
        early.add(new EarlyDelete(r, required, List.copyOf(others)));
      }
    }
    return early;
  }
}
