package livegraph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Makes the AppCDS archive {@code ./livegraph} starts from: one server started with the
 * launcher's {@code LIVEGRAPH_CDS_DUMP}, a viewer's first delta taken, the server stopped with
 * SIGTERM, and the classes it loaded kept as a dynamic archive.
 *
 * <p>Starting is class loading (BENCHMARKS.md, "Time to first frame"): mapping the classes from
 * an archive instead of reading, verifying and linking about 2,500 of them halves it. The JVM
 * writes the archive at exit; a stop that had to be forced, or a run that never served a
 * delta, leaves a file that is torn or misses the serving classes, so it is deleted, never kept.
 * The archive is written beside its destination and moved into place, so a concurrent start
 * sees either the old archive or the new one.
 */
final class CdsTraining {

  /** One start of the server with extra environment variables. */
  interface Start {
    StartupCommand.Run run(Map<String, String> env) throws Exception;
  }

  private static final int SIGTERM_EXIT = 128 + 15;

  private CdsTraining() {}

  /** Trains into {@code archive}; 0 when it was written, 1 (with the reason on stderr) if not. */
  static int train(Path archive, Start start) throws Exception {
    Path absolute = archive.toAbsolutePath();
    Path partial = absolute.resolveSibling(
        absolute.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    Files.deleteIfExists(partial);
    try {
      StartupCommand.Run run = start.run(Map.of(
          "LIVEGRAPH_CDS", "off", "LIVEGRAPH_CDS_DUMP", partial.toString()));
      String refusal = refusal(run, partial);
      if (refusal != null) {
        System.err.println("startup: no class-data archive: " + refusal);
        return 1;
      }
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      System.err.printf("startup: wrote %s (%.1f MB), first delta at %.0f ms%n", absolute,
          Files.size(absolute) / 1e6, run.times().delta());
      return 0;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Why the run's archive must not be kept, or null when it may. */
  static String refusal(StartupCommand.Run run, Path written) throws IOException {
    if (Double.isNaN(run.times().delta())) {
      return "the server served no delta, so the archive would miss the serving classes";
    }
    if (run.exitCode() != 0 && run.exitCode() != SIGTERM_EXIT) {
      return "the server did not stop cleanly (exit " + run.exitCode() + "), so the archive may be"
          + " torn";
    }
    if (!Files.isRegularFile(written) || Files.size(written) == 0) {
      return "the JVM wrote no archive (does this java support -XX:ArchiveClassesAtExit?)";
    }
    return null;
  }
}
