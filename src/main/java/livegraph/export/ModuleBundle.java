package livegraph.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page's ES modules joined into one classic script, so a page can carry its code inline and
 * make no request for it (an inline {@code <script type="module">} cannot import its siblings,
 * and {@code data:} modules cannot resolve relative imports).
 *
 * <p>Each module becomes a function scope that returns its exports, evaluated after the modules
 * it imports, which is the order the browser evaluates ES modules in. Only the forms the page's
 * modules use are accepted: {@code import { a, b as c } from './x.js';} and {@code export}
 * before a {@code function}, {@code async function}, {@code class}, {@code const} or
 * {@code let} declaration. Anything else (default exports, namespace imports, bare or absolute
 * specifiers, import cycles) is refused with the module's name, so a page change that needs
 * more fails the build's tests instead of a user's page.
 */
public final class ModuleBundle {

  private static final Pattern IMPORT =
      Pattern.compile("^import\\s*\\{([^}]*)\\}\\s*from\\s*'([^']+)'\\s*;?[ \\t]*$", Pattern.MULTILINE);
  private static final Pattern ANY_IMPORT = Pattern.compile("^import\\b", Pattern.MULTILINE);
  private static final Pattern EXPORT_DECL =
      Pattern.compile(
          "^export\\s+(?:(async\\s+)?function\\*?|class|const|let)\\s+([A-Za-z_$][\\w$]*)",
          Pattern.MULTILINE);
  private static final Pattern ANY_EXPORT = Pattern.compile("^export\\b", Pattern.MULTILINE);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][\\w$]*");

  private final Function<String, String> sources;

  /** Reads modules with {@code sources}: module path (e.g. "export/live.js") to its text. */
  public ModuleBundle(Function<String, String> sources) {
    this.sources = Objects.requireNonNull(sources, "sources");
  }

  /** Modules read from the classpath folder {@code root} (e.g. "web"). */
  public static ModuleBundle classpath(String root) {
    return new ModuleBundle(path -> resource(root + "/" + path));
  }

  /** A classpath resource as UTF-8 text, or null when there is none. */
  static String resource(String name) {
    try (InputStream in = ModuleBundle.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }

  /**
   * One classic script running {@code entry} and everything it imports.
   *
   * @throws IllegalArgumentException naming the module, for a missing module or a form this
   *     bundler does not accept
   */
  public String bundle(String entry) {
    Map<String, Module> modules = new LinkedHashMap<>(); // in evaluation order
    visit(normalise(entry), modules, new LinkedHashSet<>());
    StringBuilder out = new StringBuilder("\"use strict\";\n");
    for (Module m : modules.values()) {
      out.append("const ").append(m.variable()).append(" = (() => {\n");
      for (Import i : m.imports()) {
        out.append("const { ").append(String.join(", ", i.bindings())).append(" } = ")
            .append(variableOf(i.module())).append(";\n");
      }
      out.append(m.body());
      out.append("\nreturn { ").append(String.join(", ", m.exports())).append(" };\n})();\n");
    }
    return out.toString();
  }

  private void visit(String path, Map<String, Module> done, Set<String> inProgress) {
    if (done.containsKey(path)) {
      return;
    }
    if (!inProgress.add(path)) {
      throw new IllegalArgumentException("import cycle through " + path + ": " + inProgress);
    }
    Module module = parse(path);
    for (Import i : module.imports()) {
      visit(i.module(), done, inProgress);
    }
    inProgress.remove(path);
    done.put(path, module);
  }

  private Module parse(String path) {
    String text = sources.apply(path);
    if (text == null) {
      throw new IllegalArgumentException("no module " + path);
    }
    List<Import> imports = new ArrayList<>();
    Matcher im = IMPORT.matcher(text);
    StringBuilder body = new StringBuilder();
    int last = 0;
    while (im.find()) {
      imports.add(new Import(resolve(path, im.group(2)), bindings(path, im.group(1))));
      body.append(text, last, im.start());
      last = im.end();
    }
    body.append(text.substring(last));
    String code = body.toString();
    if (ANY_IMPORT.matcher(code).find()) {
      throw new IllegalArgumentException(path + ": only `import { a, b as c } from './x.js';` is supported");
    }
    List<String> exports = new ArrayList<>();
    Matcher ex = EXPORT_DECL.matcher(code);
    StringBuilder stripped = new StringBuilder();
    last = 0;
    while (ex.find()) {
      exports.add(ex.group(2));
      stripped.append(code, last, ex.start()).append(code, ex.start() + "export".length(), ex.end());
      last = ex.end();
    }
    stripped.append(code.substring(last));
    String result = stripped.toString();
    if (ANY_EXPORT.matcher(result).find()) {
      throw new IllegalArgumentException(path + ": only `export` before a declaration is supported");
    }
    return new Module(path, variableOf(path), imports, exports, result);
  }

  /** "a, b as c" to ["a", "b: c"]. */
  private static List<String> bindings(String path, String list) {
    List<String> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] words = p.split("\\s+as\\s+");
      for (String w : words) {
        if (!IDENTIFIER.matcher(w).matches()) {
          throw new IllegalArgumentException(path + ": cannot read the import binding `" + p + "`");
        }
      }
      out.add(words.length == 2 ? words[0] + ": " + words[1] : words[0]);
    }
    return out;
  }

  /** The path of {@code specifier} imported from module {@code from}. */
  static String resolve(String from, String specifier) {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) {
      throw new IllegalArgumentException(
          from + ": only relative imports are supported, not '" + specifier + "'");
    }
    int slash = from.lastIndexOf('/');
    String dir = slash < 0 ? "" : from.substring(0, slash + 1);
    return normalise(dir + specifier);
  }

  private static String normalise(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new IllegalArgumentException("import escapes the page's folder: " + path);
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static String variableOf(String path) {
    return "__lg_" + path.replaceAll("[^A-Za-z0-9]", "_");
  }

  private record Import(String module, List<String> bindings) {}

  private record Module(
      String path, String variable, List<Import> imports, List<String> exports, String body) {}
}
