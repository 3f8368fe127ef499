package io.strata.bench;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** {@code strata bench NAME [options]}: runs one benchmark runner, which prints its figures. */
public final class BenchMain {
  private static final Map<String, String> RUNNERS =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("placement", "io.strata.bench.placement.PlacementBench"),
              Map.entry("mover", "io.strata.bench.mover.MoverBench"),
              Map.entry("reconcile", "io.strata.bench.reconcile.ReconcileBench"),
              Map.entry("heartbeats", "io.strata.bench.heartbeat.HeartbeatBench"),
              Map.entry("capacity", "io.strata.bench.capacity.CapacityBench"),
              Map.entry("forecast", "io.strata.bench.forecast.ForecastBench"),
              Map.entry("fleet", "io.strata.bench.fleet.FleetBench"),
              Map.entry("dicom", "io.strata.bench.dicom.DicomHeaderBench"),
              Map.entry("ingest", "io.strata.bench.ingest.IngestBench"),
              Map.entry("console", "io.strata.bench.console.ConsoleBench")));

  private BenchMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0 || !RUNNERS.containsKey(args[0])) {
      System.err.println(
          "usage: strata bench " + String.join("|", RUNNERS.keySet()) + " [options]");
      System.exit(2);
    }
    Class<?> runner;
    try {
      runner = Class.forName(RUNNERS.get(args[0]));
    } catch (ClassNotFoundException e) {
      System.err.println(
          "strata bench: the " + args[0] + " benchmark is not built into this version");
      System.exit(2);
      return;
    }
    Method main = runner.getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof BenchArgs.BadArgs bad) {
        System.err.println("strata bench " + args[0] + ": " + bad.getMessage());
        System.err.println("usage: " + bad.usage());
        System.exit(2);
      }
      // Printed and ended here, not left to the uncaught-exception handler: a benchmark that ran a
      // controller has stopped its logging with it, and threads it started and did not stop keep
      // the JVM alive (a fleet run at 10,000 racks whose close failed printed nothing and lingered
      // for an hour on ZooKeeper's and the S3 endpoint's threads).
      e.getCause().printStackTrace();
      System.exit(1);
    }
  }
}
