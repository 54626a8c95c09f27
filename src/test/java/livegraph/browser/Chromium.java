package livegraph.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Debian Chromium driven through Selenium 4, for tests that need a real browser.
 *
 * <p>Uses {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} explicitly, so Selenium
 * Manager never runs and nothing is downloaded. Loading Plotly costs seconds here, so start
 * one browser per test class, open the page once and drive it with {@link #js}. Usage:
 *
 * <pre>{@code
 * try (Chromium chromium = Chromium.start(tempDir)) {
 *   chromium.open("http://127.0.0.1:" + port + "/");
 *   chromium.until(Duration.ofSeconds(10), "page live",
 *       () -> "live".equals(chromium.js("return window.livegraph.connection")));
 * }
 * }</pre>
 */
public final class Chromium implements AutoCloseable {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  /** Browser console entries drained from the driver so far; test thread only. */
  private final List<LogEntry> console = new ArrayList<>();

  private Chromium(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /** Starts chromedriver on a free loopback port and a headless Chromium with its profile in {@code userDataDir}. */
  public static Chromium start(Path userDataDir) {
    return start(userDataDir, options -> { });
  }

  /**
   * {@link #start(Path)} with more options set by {@code extra} before the browser starts, e.g.
   * {@link #withNetworkLog} to see every request the page makes.
   */
  public static Chromium start(Path userDataDir, Consumer<ChromeOptions> extra) {
    // Belt and braces: with an explicit driver path Selenium Manager is not used, but if
    // some code path reaches it, it must not go online.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("SE_AVOID_STATS", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + userDataDir.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    extra.accept(options);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort()
        .withSilent(true)
        .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Chromium(service, driver);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  /**
   * Starts a browser, opens the page livegraph serves on loopback {@code port} and waits up to
   * {@code timeout} until the page says its socket is live; closes the browser if it does not
   * get there.
   */
  public static Chromium openLivegraph(Path userDataDir, int port, Duration timeout) {
    Chromium chromium = start(userDataDir);
    try {
      chromium.open("http://127.0.0.1:" + port + "/");
      chromium.until(timeout, "page connected",
          () -> "live".equals(chromium.js("return window.livegraph && window.livegraph.connection")));
      return chromium;
    } catch (RuntimeException | AssertionError e) {
      chromium.close();
      throw e;
    }
  }

  /** Forgets earlier console entries, navigates to {@code url} and waits for the document to load (not for its sockets). */
  public void open(String url) {
    clearConsole();
    driver.get(url);
  }

  /** Runs {@code script} as a function body in the page ({@code return ...} gives the result; {@code arguments[i]} the args). */
  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Polls {@code probe} every ~50 ms until it returns something other than null or
   * {@code false}, and returns that; a probe that throws counts as not yet. After
   * {@code timeout} fails with an AssertionError naming {@code description} and the last
   * value (or exception) seen.
   */
  public <T> T until(Duration timeout, String description, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
        last = value;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + description + "; last value: " + last);
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }

  /**
   * Hides this tab for real, as a user switching to another tab does: opens a blank tab and
   * brings it to the front through the DevTools protocol ({@code Target.createTarget},
   * {@code Target.activateTarget}). This driver keeps talking to the hidden tab, and running
   * scripts in it does not show it: its {@code document.visibilityState} is "hidden" and it gets
   * no animation frames. (Switching the driver back with {@code switchTo().window} would show
   * it again.) Closing the returned tab brings this one back to the front and closes the blank
   * one.
   */
  public OtherTab hideBehindAnotherTab() {
    String self = targetId(driver.executeCdpCommand("Target.getTargetInfo", Map.of()).get("targetInfo"));
    String other = targetId(driver.executeCdpCommand("Target.createTarget",
        Map.of("url", "about:blank", "background", true)));
    driver.executeCdpCommand("Target.activateTarget", Map.of("targetId", other));
    return () -> {
      try {
        driver.executeCdpCommand("Target.activateTarget", Map.of("targetId", self));
      } finally {
        driver.executeCdpCommand("Target.closeTarget", Map.of("targetId", other));
      }
    };
  }

  /** The tab {@link #hideBehindAnotherTab} brought to the front; close() puts the hidden one back. */
  public interface OtherTab extends AutoCloseable {
    @Override
    void close();
  }

  private static String targetId(Object info) {
    Object id = info instanceof Map<?, ?> map ? map.get("targetId") : null;
    if (!(id instanceof String s)) {
      throw new IllegalStateException("no targetId in the DevTools answer: " + info);
    }
    return s;
  }

  /** Options that also keep the performance log, which lists every network request ({@link #requestedUrls}). */
  public static void withNetworkLog(ChromeOptions options) {
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
  }

  /**
   * The URL of every request and WebSocket the page started since the last call (the
   * performance log's {@code Network.requestWillBeSent} and {@code Network.webSocketCreated});
   * needs {@link #withNetworkLog} at start.
   */
  public List<String> requestedUrls() {
    List<String> urls = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode message = JSON.readTree(entry.getMessage()).path("message");
        String method = message.path("method").asText();
        if (method.equals("Network.requestWillBeSent")) {
          urls.add(message.at("/params/request/url").asText());
        } else if (method.equals("Network.webSocketCreated")) {
          urls.add(message.at("/params/url").asText());
        }
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable performance log entry: " + entry.getMessage(), e);
      }
    }
    return urls;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lets pages save downloads into {@code dir} without asking (DevTools Browser.setDownloadBehavior). */
  public void downloadTo(Path dir) {
    driver.executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
  }

  /** A PNG of the current viewport. */
  public byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  /** Every browser console entry seen so far (console.*, uncaught errors, CSP violations). */
  public List<LogEntry> consoleLog() {
    driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
    return List.copyOf(console);
  }

  /** Console entries at SEVERE level: uncaught exceptions, console.error, failed loads, CSP refusals. */
  public List<String> consoleErrors() {
    return consoleLog().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  /** Forgets the console entries seen so far, so the next checks see only what follows. */
  public void clearConsole() {
    consoleLog();
    console.clear();
  }

  /** The underlying driver, for what this class does not wrap. */
  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
