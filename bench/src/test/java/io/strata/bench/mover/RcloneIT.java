package io.strata.bench.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.strata.runtime.RequiredTool;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mover benchmark's peer as the benchmark runs it: the real {@code rclone}, which {@code
 * ./strata test} installs, copying between two bench pools with the config the benchmark writes,
 * and its {@code check --download}, the proof its verified rate counts, finding a copy that
 * differs. Without rclone the test fails saying how to install it. No time is checked.
 */
class RcloneIT {
  private static final String BUCKET = MoverBench.BUCKET;

  @TempDir Path dir;

  @Test
  void copiesEveryObjectAndItsCheckFindsACopyThatDiffers() throws Exception {
    Path binary = RequiredTool.RCLONE.path();
    try (BenchPool source = new BenchPool("src", dir.resolve("src"));
        BenchPool target = new BenchPool("rclone", dir.resolve("rclone"))) {
      source.createBucket(BUCKET);
      target.createBucket(BUCKET);
      List<String> keys = List.of("small/a.dcm", "small/b.dcm", "small/c.dcm");
      for (String key : keys) {
        source.put(BUCKET, key, ("study " + key).getBytes(StandardCharsets.UTF_8));
      }
      Rclone rclone = Rclone.configure(binary, dir, List.of(source, target));

      rclone.copy(
          "src:" + BUCKET + "/small", "rclone:" + BUCKET + "/small", 2, dir.resolve("copy.log"));

      for (String key : keys) {
        assertThat(read(target, key)).as(key).isEqualTo("study " + key);
      }
      rclone.checkDownload(
          "src:" + BUCKET + "/small", "rclone:" + BUCKET + "/small", 2, dir.resolve("check.log"));

      // The same size, other bytes.
      target.put(BUCKET, "small/b.dcm", "study small/X.dcm".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(
              () ->
                  rclone.checkDownload(
                      "src:" + BUCKET + "/small",
                      "rclone:" + BUCKET + "/small",
                      2,
                      dir.resolve("check-again.log")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rclone check")
          .hasMessageContaining("exited with");
    }
  }

  private static String read(BenchPool pool, String key) throws Exception {
    try (InputStream in =
        pool.client.getObject(GetObjectArgs.builder().bucket(BUCKET).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
