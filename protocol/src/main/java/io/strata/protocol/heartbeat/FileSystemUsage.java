package io.strata.protocol.heartbeat;

/**
 * Capacity and use of the file system holding one of the agent's data paths.
 *
 * @param path the configured data path
 * @param totalBytes size of the file system
 * @param usedBytes bytes in use (total minus unallocated)
 * @param availableBytes bytes this process could still write
 */
public record FileSystemUsage(String path, long totalBytes, long usedBytes, long availableBytes) {}
