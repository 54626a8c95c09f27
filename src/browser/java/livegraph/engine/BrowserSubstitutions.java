package livegraph.engine;

import org.teavm.extension.spi.substitution.SimpleSubstitutionPolicy;
import org.teavm.extension.spi.substitution.SubstitutionSink;

/**
 * What TeaVM translates in place of classes the browser cannot have: each is replaced by the
 * class of the same name under {@code livegraph.engine.shim}.
 *
 * <ul>
 *   <li>{@code sun.misc.Unsafe}: datasketches-memory names it for off-heap memory, which the
 *       on-heap HLL sketches of {@code distinct(F)} never use; the shim throws if reached.
 *   <li>{@code org.slf4j.LoggerFactory}: finding a logging provider needs class loaders; the
 *       shim logs to the browser console. Substituted rather than moving the pipeline's logging
 *       out of the browser's reach, so whatever logs on the shared path today or later still
 *       builds and still says something.
 * </ul>
 *
 * <p>Registered in {@code META-INF/services/org.teavm.extension.spi.substitution
 * .SubstitutionPolicy}; read only by TeaVM.
 */
public final class BrowserSubstitutions extends SimpleSubstitutionPolicy {

  private static final String SHIMS = "livegraph.engine.shim.";

  @Override
  public void contribute(SubstitutionSink sink) {
    sink.selectClasses(named("sun.misc.Unsafe")).packagePrefix(SHIMS);
    sink.selectClasses(named("org.slf4j.LoggerFactory")).packagePrefix(SHIMS);
  }
}
