package livegraph.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticAssetsTest {

  @TempDir Path dir;

  @Test
  void symbolicLinks_inTheAssetFolder_areNotServed_norWhatTheyPointAt() throws Exception {
    Path root = Files.createDirectories(dir.resolve("web"));
    Files.writeString(root.resolve("index.html"), "<html>");
    Path secret = Files.writeString(dir.resolve("secret.txt"), "outside the root");
    Files.createSymbolicLink(root.resolve("link.txt"), secret);
    Files.createSymbolicLink(root.resolve("up"), dir);

    StaticAssets assets = StaticAssets.fromFolder(root);

    assertThat(assets.get("index.html")).isNotNull();
    assertThat(assets.get("link.txt")).isNull();
    assertThat(assets.get("up/secret.txt")).isNull();
    assertThat(assets.size()).isEqualTo(1);
  }

  @Test
  void pathsThatLeaveTheRoot_areNotKeys() {
    StaticAssets assets = StaticAssets.load("web");
    for (String path : new String[] {"../pom.xml", "/app.js", "./app.js", "app.js/", "APP.JS",
        "app.js\u0000", "..\\app.js", "vendor/../app.js", "export/live.js"}) {
      assertThat(assets.get(path)).as(path).isNull();
    }
    assertThat(assets.get("app.js")).isNotNull();
  }
}
