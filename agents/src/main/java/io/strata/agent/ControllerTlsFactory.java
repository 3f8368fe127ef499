package io.strata.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.strata.runtime.ConfiguredInputException;
import io.strata.runtime.SecretReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificates the agent trusts when the controller URL is {@code https://} (the {@code
 * controllerTls:} block of the agent's configuration). With neither key set, the JVM's default
 * trust store applies (a controller certificate from a public or corporate CA the JVM already
 * trusts).
 *
 * <ul>
 *   <li>{@code caFile}: PEM file with the CA certificate(s) (or the controller's own self-signed
 *       certificate) to trust.
 *   <li>{@code trustStore}: a PKCS#12 trust store instead; {@code trustStorePassword} is a
 *       reference ({@code file:PATH} or {@code env:NAME}) to its password, when it has one.
 * </ul>
 *
 * Host names are always verified against the certificate.
 */
public class ControllerTlsFactory {
  private String caFile;
  private String trustStore;
  private String trustStorePassword;

  /**
   * The SSL context for the controller client, or null for the JVM's default.
   *
   * @throws IllegalArgumentException naming the file that cannot be read
   */
  public SSLContext build(Path baseDir, Map<String, String> env) {
    if (caFile == null && trustStore == null) {
      return null;
    }
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      if (caFile != null) {
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(baseDir.resolve(caFile))) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trusted.setCertificateEntry("ca-" + i++, c);
          }
          if (i == 0) {
            throw new ConfiguredInputException("controllerTls.caFile: no certificate in " + caFile);
          }
        }
      } else {
        char[] password =
            trustStorePassword == null
                ? null
                : SecretReference.read(trustStorePassword, baseDir, env).toCharArray();
        try (InputStream in = Files.newInputStream(baseDir.resolve(trustStore))) {
          trusted.load(in, password);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfiguredInputException(
          "controllerTls: cannot load "
              + (caFile != null ? "caFile " + caFile : "trustStore " + trustStore)
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  @JsonProperty
  public String getCaFile() {
    return caFile;
  }

  @JsonProperty
  public void setCaFile(String caFile) {
    this.caFile = caFile;
  }

  @JsonProperty
  public String getTrustStore() {
    return trustStore;
  }

  @JsonProperty
  public void setTrustStore(String trustStore) {
    this.trustStore = trustStore;
  }

  /** A reference, never the password itself. */
  @JsonProperty
  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  @JsonProperty
  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }
}
