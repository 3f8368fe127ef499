package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AdvertisedUrlTest {
  private static final Supplier<String> HOST = () -> "czzl-ctl-2";

  @Test
  void aConnectorBoundToOneAddressIsAdvertisedAtThatAddress() {
    assertThat(AdvertisedUrl.of(false, "127.0.0.1", 8080, HOST)).isEqualTo("http://127.0.0.1:8080");
    assertThat(AdvertisedUrl.of(true, "10.1.4.7", 8443, HOST)).isEqualTo("https://10.1.4.7:8443");
  }

  @Test
  void aConnectorOnEveryInterfaceIsAdvertisedByHostName() {
    assertThat(AdvertisedUrl.of(false, null, 8080, HOST)).isEqualTo("http://czzl-ctl-2:8080");
    assertThat(AdvertisedUrl.of(true, "0.0.0.0", 8443, HOST)).isEqualTo("https://czzl-ctl-2:8443");
    assertThat(AdvertisedUrl.of(false, "::", 8080, HOST)).isEqualTo("http://czzl-ctl-2:8080");
  }

  @Test
  void anIpv6AddressIsBracketed() {
    assertThat(AdvertisedUrl.of(false, "::1", 8080, HOST)).isEqualTo("http://[::1]:8080");
    assertThat(AdvertisedUrl.of(false, "[fd00::7]", 8080, HOST)).isEqualTo("http://[fd00::7]:8080");
  }
}
