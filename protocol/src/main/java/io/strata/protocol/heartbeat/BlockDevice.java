package io.strata.protocol.heartbeat;

/**
 * A block device of a storage node, as the kernel lists it under {@code /sys/block}.
 *
 * @param name kernel name, e.g. {@code nvme0n1}
 * @param sizeBytes capacity in bytes
 * @param rotational true for spinning media
 * @param model the vendor's model string, when the kernel knows it
 * @param smartHealthy SMART overall health when {@code smartctl} could read it, else null
 */
public record BlockDevice(
    String name, long sizeBytes, boolean rotational, String model, Boolean smartHealthy) {}
