package io.strata.system;

import static org.awaitility.Awaitility.await;

import io.strata.runtime.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver (both found on the
 * PATH, never downloaded), with what the console's tests do: open pages, type, click, read the
 * rendered DOM, run a script, keep screenshots as PNG under {@code target/screenshots/}, and save
 * what the page downloads beside the profile. Must be closed.
 */
final class Browser implements AutoCloseable {
  /** Where screenshots are kept, under the module's build directory. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final String name;
  private final Path downloads;

  /**
   * Starts chromedriver and a browser session of 1366×900 pixels.
   *
   * @param profile an empty directory for the browser's profile
   * @param name what the screenshots of this browser are named after (the test)
   * @throws AssertionError when chromium or chromedriver is not installed, saying how to install it
   */
  Browser(Path profile, String name) {
    this.name = name;
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(RequiredTool.CHROMEDRIVER.path().toFile())
            .usingAnyFreePort()
            .withLogFile(profile.resolveSibling("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RequiredTool.CHROMIUM.path().toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        "--lang=en-US",
        "--user-data-dir=" + profile);
    // Files the page downloads land beside the profile, without asking.
    downloads = profile.resolveSibling(profile.getFileName() + "-downloads");
    options.setExperimentalOption(
        "prefs",
        java.util.Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(TestFleet.TIMEOUT);
    driver.manage().timeouts().pageLoadTimeout(TestFleet.TIMEOUT);
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
  }

  /** Where the files the page downloads are saved. */
  Path downloads() {
    return downloads;
  }

  void open(String url) {
    driver.get(url);
  }

  String currentUrl() {
    return driver.getCurrentUrl();
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** Types {@code text} at the end of what the field {@code css} selects holds. */
  void type(String css, String text) {
    find(css).sendKeys(text);
  }

  /** Empties the field {@code css} selects and types {@code text}. */
  void replace(String css, String text) {
    again(
        "type into " + css,
        () -> {
          WebElement field = find(css);
          field.clear();
          field.sendKeys(text);
        });
  }

  /** Does {@code action} until no redraw took its element away in between. */
  private static void again(String what, Runnable action) {
    await(what)
        .atMost(TestFleet.TIMEOUT)
        .ignoreException(StaleElementReferenceException.class)
        .until(
            () -> {
              action.run();
              return true;
            });
  }

  /** Chooses the option of value {@code value} in the select {@code css} selects. */
  void select(String css, String value) {
    find(css + " option[value='" + value + "']").click();
  }

  /**
   * Clicks the element {@code css} selects. The console redraws parts of the page when what they
   * show changes (a rack's panel, say): an element found just before a redraw is gone when the
   * click reaches it, so the click is tried again on the element drawn in its place.
   */
  void click(String css) {
    again("click " + css, () -> find(css).click());
  }

  /** The text of the element {@code css} selects as a reader sees it: empty while it is hidden. */
  String visibleText(String css) {
    return find(css).getText();
  }

  /** An attribute of the element {@code css} selects; null when it has none. */
  String attribute(String css, String attribute) {
    return find(css).getDomAttribute(attribute);
  }

  /** The DOM as the page's scripts left it. */
  String page() {
    return driver.getPageSource();
  }

  /** Runs {@code script} in the page and returns what it returns. */
  Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /**
   * Saves what the browser shows as {@code target/screenshots/<name>-<what>.png}.
   *
   * @return the file written
   */
  Path screenshot(String what) throws IOException {
    Path file = Files.createDirectories(SCREENSHOTS).resolve(name + "-" + what + ".png");
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        file,
        StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
