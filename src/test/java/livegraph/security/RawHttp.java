package livegraph.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, request line written exactly as given: the JDK's client would
 * normalise "..", "//" and backslashes away before the server ever saw them.
 */
final class RawHttp {

  /** An answer: status code, headers (names lower-case, last value wins) and body text. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /** Sends {@code GET target} (or another method) with {@code extraHeaders} ("Name: value"). */
  static Answer send(int port, String method, String target, String... extraHeaders) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
      for (String h : extraHeaders) {
        request.append(h).append("\r\n");
      }
      request.append("\r\n");
      s.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      return parse(s.getInputStream());
    }
  }

  static Answer get(int port, String target, String... extraHeaders) throws IOException {
    return send(port, "GET", target, extraHeaders);
  }

  private static Answer parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }
}
