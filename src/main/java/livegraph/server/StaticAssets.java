package livegraph.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The page and its assets, read once from the classpath folder {@code web/} at startup.
 *
 * <p>Each asset is held as bytes with its gzip form, content type and ETag, so serving one is a
 * map lookup: a request path that is not a key is a 404, which is also why no path can escape
 * the asset root, and symbolic links are not followed when the folder is read. The whole folder is about 1.6 MB (Plotly is 1.5 MB of it).
 */
final class StaticAssets {

  /** One servable file. */
  record Asset(String path, byte[] bytes, byte[] gzipped, String contentType, String etag) {

    /** Versioned vendor files never change under the same name; the rest are revalidated. */
    String cacheControl() {
      return path.startsWith("vendor/") ? "public, max-age=31536000, immutable" : "no-cache";
    }
  }

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "txt", "text/plain; charset=utf-8",
          "md", "text/plain; charset=utf-8",
          "json", "application/json");

  /** The folder of what only exported pages use. */
  static final String EXPORT_ONLY = "export/";

  private final Map<String, Asset> assets;

  private StaticAssets(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /** Loads every file under the classpath folder {@code root} (e.g. "web"). */
  static StaticAssets load(String root) {
    URL marker = StaticAssets.class.getClassLoader().getResource(root + "/index.html");
    if (marker == null) {
      throw new IllegalStateException("no " + root + "/index.html on the classpath");
    }
    try {
      URI uri = marker.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return fromFolder(jar.getPath("/" + root));
        }
      }
      return fromFolder(Path.of(uri).getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every regular file under {@code folder}; a symbolic link is never followed (or served). */
  static StaticAssets fromFolder(Path folder) throws IOException {
    Map<String, Asset> assets = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      // export/ holds the exported page's code (the in-browser engine alone is 1.2 MB): it is
      // inlined into the files `livegraph export` writes, never fetched from a server.
      // NOFOLLOW_LINKS: a link in the asset folder could point anywhere on the disk.
      files = walk.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
          .filter(file -> !folder.relativize(file).toString().replace('\\', '/').startsWith(EXPORT_ONLY))
          .toList();
    }
    for (Path file : files) {
      String path = folder.relativize(file).toString().replace('\\', '/');
      byte[] bytes = Files.readAllBytes(file);
      assets.put(path, new Asset(path, bytes, gzip(bytes), type(path), etag(bytes)));
    }
    return new StaticAssets(assets);
  }

  /** The asset at {@code path} under the root, such as "index.html" or "vendor/x.js", or null. */
  Asset get(String path) {
    return assets.get(path);
  }

  int size() {
    return assets.size();
  }

  private static String type(String path) {
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
