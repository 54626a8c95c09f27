package livegraph.emulator;

import java.util.List;
import java.util.Map;

/**
 * Hand-made plausible tag lists for the largest communities, most frequent first.
 *
 * <p>Tags are drawn from these with a Zipf-like skew, so a top-K chart has a stable head.
 * Other sites use {@link #GENERIC}, meta sites {@link #META}.
 */
final class TagLists {

  private static final List<String> STACKOVERFLOW = List.of(
      "javascript", "python", "java", "c#", "php", "android", "html", "jquery", "c++", "css",
      "ios", "sql", "mysql", "r", "node.js", "reactjs", "arrays", "c", "asp.net", "json",
      "python-3.x", "ruby-on-rails", ".net", "sql-server", "swift", "django", "angular",
      "objective-c", "excel", "pandas", "angularjs", "regex", "typescript", "ruby", "linux",
      "ajax", "iphone", "vba", "xml", "laravel", "spring", "asp.net-mvc", "database", "wordpress",
      "string", "flutter", "postgresql", "mongodb", "wpf", "windows", "xcode", "amazon-web-services",
      "bash", "git", "oracle", "spring-boot", "dataframe", "azure", "firebase", "list",
      "multithreading", "docker", "vb.net", "react-native", "eclipse", "algorithm", "powershell",
      "macos", "visual-studio", "numpy", "image", "forms", "scala", "function", "vue.js",
      "performance", "twitter-bootstrap", "selenium", "winforms", "kotlin", "loops", "express",
      "dart", "hibernate", "sqlite", "matlab", "python-2.7", "shell", "rest", "apache",
      "entity-framework", "android-studio", "csv", "maven", "linq", "qt", "dictionary", "unit-testing",
      "asp.net-core", "facebook", "apache-spark", "tensorflow", "file", "swing", "class", "unity3d");

  private static final List<String> MATH = List.of(
      "calculus", "real-analysis", "linear-algebra", "probability", "abstract-algebra",
      "integration", "sequences-and-series", "general-topology", "combinatorics",
      "complex-analysis", "matrices", "algebra-precalculus", "elementary-number-theory",
      "analysis", "statistics", "functional-analysis", "probability-theory", "limits",
      "group-theory", "geometry", "derivatives", "number-theory", "discrete-mathematics",
      "multivariable-calculus", "ordinary-differential-equations", "measure-theory",
      "trigonometry", "differential-geometry", "logic", "proof-verification", "inequality",
      "polynomials", "functions", "elementary-set-theory", "graph-theory", "optimization");

  private static final List<String> SUPERUSER = List.of(
      "windows-10", "windows", "linux", "networking", "windows-7", "microsoft-excel", "macos",
      "ubuntu", "command-line", "bash", "wireless-networking", "hard-drive", "usb", "ssh",
      "google-chrome", "boot", "microsoft-word", "firefox", "display", "keyboard-shortcuts",
      "virtualbox", "router", "partitioning", "audio", "powershell", "vim", "drivers", "ssd");

  private static final List<String> ASKUBUNTU = List.of(
      "command-line", "18.04", "16.04", "networking", "boot", "drivers", "server", "apt",
      "dual-boot", "bash", "grub2", "nvidia", "permissions", "wireless", "gnome", "sound",
      "package-management", "ssh", "partitioning", "unity", "system-installation", "14.04",
      "upgrade", "kernel", "software-installation", "mount", "display", "usb", "python");

  private static final List<String> SERVERFAULT = List.of(
      "linux", "windows", "networking", "apache-2.2", "nginx", "ubuntu", "windows-server-2008",
      "active-directory", "iis", "ssh", "centos", "mysql", "email", "dns", "vmware-esxi",
      "debian", "amazon-web-services", "postfix", "domain-name-system", "ssl", "iptables",
      "apache-2.4", "docker", "exchange", "firewall", "vpn", "redhat", "hyper-v", "kubernetes");

  private static final List<String> TEX = List.of(
      "tikz-pgf", "beamer", "biblatex", "formatting", "math-mode", "tables", "bibliographies",
      "fonts", "graphics", "floats", "pdftex", "macros", "xetex", "horizontal-alignment",
      "sectioning", "spacing", "cross-referencing", "lualatex", "errors", "pgfplots",
      "hyperref", "tikz-styles", "captions", "header-footer", "vertical-alignment");

  private static final List<String> UNIX = List.of(
      "linux", "bash", "shell-script", "shell", "command-line", "ubuntu", "debian", "centos",
      "text-processing", "ssh", "awk", "networking", "sed", "grep", "files", "arch-linux",
      "permissions", "systemd", "find", "kernel", "zsh", "rhel", "mount", "scripting", "vim");

  private static final List<String> STATS = List.of(
      "r", "regression", "machine-learning", "time-series", "probability", "hypothesis-testing",
      "distributions", "self-study", "neural-networks", "logistic", "correlation",
      "classification", "bayesian", "mixed-model", "statistical-significance", "anova",
      "mathematical-statistics", "multiple-regression", "confidence-interval", "variance",
      "clustering", "normal-distribution", "t-test", "cross-validation", "deep-learning");

  private static final List<String> PHYSICS = List.of(
      "quantum-mechanics", "homework-and-exercises", "newtonian-mechanics", "electromagnetism",
      "general-relativity", "thermodynamics", "special-relativity", "quantum-field-theory",
      "optics", "forces", "energy", "classical-mechanics", "gravity", "electrostatics",
      "cosmology", "waves", "fluid-dynamics", "particle-physics", "kinematics", "momentum",
      "lagrangian-formalism", "electric-circuits", "black-holes", "statistical-mechanics");

  private static final List<String> ELECTRONICS = List.of(
      "arduino", "microcontroller", "power-supply", "voltage", "transistors", "circuit-analysis",
      "pcb", "resistors", "mosfet", "current", "capacitor", "operational-amplifier", "led",
      "stm32", "batteries", "fpga", "pic", "power", "motor", "usb", "digital-logic", "verilog",
      "dc-dc-converter", "analog", "vhdl", "i2c", "uart", "spi", "ac", "transformer");

  private static final List<String> GIS = List.of(
      "qgis", "arcgis-desktop", "arcpy", "python", "arcgis-10.0", "postgis", "openlayers-2",
      "leaflet", "google-earth-engine", "raster", "gdal", "coordinate-system", "shapefile",
      "arcmap", "pyqgis", "r", "geoserver", "openlayers", "polygon", "arcgis-10.1", "sql");

  private static final List<String> ENGLISH = List.of(
      "meaning", "grammar", "word-choice", "single-word-requests", "etymology", "usage",
      "phrase-requests", "word-usage", "meaning-in-context", "punctuation", "expressions",
      "phrases", "differences", "verbs", "prepositions", "pronunciation", "idioms", "tenses",
      "american-english", "british-english", "nouns", "adjectives", "articles", "spelling");

  private static final List<String> MATHOVERFLOW = List.of(
      "ag.algebraic-geometry", "nt.number-theory", "pr.probability", "co.combinatorics",
      "gr.group-theory", "dg.differential-geometry", "fa.functional-analysis", "ca.classical-analysis-and-odes",
      "at.algebraic-topology", "ct.category-theory", "lo.logic", "set-theory", "reference-request",
      "rt.representation-theory", "ap.analysis-of-pdes", "gn.general-topology", "linear-algebra");

  private static final List<String> APPLE = List.of(
      "macos", "iphone", "ios", "macbook-pro", "mac", "itunes", "ipad", "terminal", "icloud",
      "safari", "mojave", "high-sierra", "keyboard", "finder", "wifi", "mail.app", "catalina",
      "time-machine", "bluetooth", "applescript", "xcode", "photos.app", "display", "homebrew");

  private static final List<String> WORDPRESS = List.of(
      "plugins", "custom-post-types", "php", "theme-development", "wp-query", "functions",
      "posts", "customization", "pages", "permalinks", "menus", "shortcode", "woocommerce",
      "widgets", "javascript", "admin", "taxonomy", "multisite", "jquery", "css", "rest-api");

  private static final List<String> GAMING = List.of(
      "minecraft", "skyrim", "pokemon-go", "league-of-legends", "minecraft-commands", "steam",
      "fallout-4", "diablo-3", "terraria", "dota-2", "world-of-warcraft", "starcraft-2",
      "the-witcher-3", "overwatch", "grand-theft-auto-v", "pc", "xbox-one", "ps4", "nintendo-switch");

  private static final List<String> SHAREPOINT = List.of(
      "sharepoint-online", "sharepoint-server", "sharepoint-enterprise", "2013", "2010",
      "list", "javascript", "powershell", "rest", "csom", "workflow", "sharepoint-designer",
      "document-library", "permissions", "search", "spfx", "infopath", "office-365");

  private static final List<String> SALESFORCE = List.of(
      "apex", "visualforce", "lightning-aura-components", "soql", "trigger", "unit-test",
      "lightning-web-components", "javascript", "rest-api", "process-builder", "flow",
      "lightning-experience", "validation-rule", "formula-field", "marketing-cloud", "ampscript");

  private static final List<String> MAGENTO = List.of(
      "magento2", "magento-1.9", "magento-1.7", "magento2.2", "checkout", "product", "admin",
      "layout", "module", "customer", "orders", "cart", "category", "attributes", "configurable-product",
      "php", "javascript", "email", "payment-methods", "templates", "extensions", "cache");

  private static final List<String> DRUPAL = List.of(
      "8", "7", "views", "theming", "routes", "forms", "entities", "nodes", "users",
      "blocks", "fields", "migration", "javascript", "caching", "multilingual", "composer",
      "menus", "permissions", "taxonomy-terms", "database", "drush", "twig", "rest");

  private static final List<String> DBA = List.of(
      "sql-server", "mysql", "postgresql", "oracle", "sql-server-2008", "performance",
      "query-performance", "t-sql", "index", "database-design", "replication", "sql-server-2012",
      "backup", "innodb", "optimization", "mongodb", "availability-groups", "execution-plan");

  /** For sites without their own list: broad topic words seen across many communities. */
  static final List<String> GENERIC = List.of(
      "discussion", "terminology", "history", "reference-request", "identification",
      "beginner", "best-practice", "design", "safety", "troubleshooting", "comparison",
      "resources", "learning", "theory", "equipment", "tools", "software", "maintenance",
      "translation", "grammar", "culture", "definition", "technique", "repair", "books");

  /** For meta sites, which discuss the site itself. */
  static final List<String> META = List.of(
      "discussion", "support", "bug", "feature-request", "status-completed", "status-declined",
      "questions", "answers", "reputation", "moderation", "tags", "review-queues", "comments",
      "close-reasons", "specific-question", "status-bydesign", "editing", "badges", "election");

  private static final Map<String, List<String>> BY_SITE = Map.ofEntries(
      Map.entry("stackoverflow", STACKOVERFLOW),
      // Localised Stack Overflows use mostly the same English technology tags.
      Map.entry("ru.stackoverflow", STACKOVERFLOW),
      Map.entry("pt.stackoverflow", STACKOVERFLOW),
      Map.entry("es.stackoverflow", STACKOVERFLOW),
      Map.entry("ja.stackoverflow", STACKOVERFLOW),
      Map.entry("math", MATH),
      Map.entry("superuser", SUPERUSER),
      Map.entry("askubuntu", ASKUBUNTU),
      Map.entry("serverfault", SERVERFAULT),
      Map.entry("tex", TEX),
      Map.entry("unix", UNIX),
      Map.entry("stats", STATS),
      Map.entry("physics", PHYSICS),
      Map.entry("electronics", ELECTRONICS),
      Map.entry("gis", GIS),
      Map.entry("english", ENGLISH),
      Map.entry("mathoverflow.net", MATHOVERFLOW),
      Map.entry("apple", APPLE),
      Map.entry("wordpress", WORDPRESS),
      Map.entry("gaming", GAMING),
      Map.entry("sharepoint", SHAREPOINT),
      Map.entry("salesforce", SALESFORCE),
      Map.entry("magento", MAGENTO),
      Map.entry("drupal", DRUPAL),
      Map.entry("dba", DBA));

  private TagLists() {}

  /** The tag list for {@code site}, most frequent first. */
  static List<String> forSite(Sites.Site site) {
    List<String> own = BY_SITE.get(site.apiSiteParameter());
    if (own != null) {
      return own;
    }
    return site.meta() ? META : GENERIC;
  }
}
