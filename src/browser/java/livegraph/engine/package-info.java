/**
 * The browser build: the server's own dashboard loader, decoder and pipeline, translated by
 * TeaVM into {@code web/export/engine.js} for pages that aggregate where there is no server.
 * {@link livegraph.engine.Engine} is the whole of it in plain Java; {@link
 * livegraph.engine.LivegraphEngine} is its face in the page (the one global {@code
 * livegraphEngine}); {@link livegraph.engine.EngineModule} is TeaVM's entry point. None of it is
 * in the jars, except the script.
 *
 * <p>What the translation needs besides this package: emulations of the few JDK classes
 * jackson-core names and TeaVM's class library lacks ({@code org.teavm.classlib...}, single
 * threaded), and {@link livegraph.engine.BrowserSubstitutions} for {@code sun.misc.Unsafe} and
 * slf4j's {@code LoggerFactory}. The server's code avoids what TeaVM translates differently:
 * data binding, {@code ArrayBlockingQueue.drainTo}, {@code Double.parseDouble} of long numbers,
 * saturating casts of huge doubles.
 *
 * <p>{@code EngineConformanceIT} runs the built script in Chromium beside the server's classes
 * on the same frames and clock readings. Differences that remain, all in the last bits of a
 * double: a quantile ({@code pNN}) may differ in its last place or two, since DDSketch calls
 * {@code Math.log} and {@code Math.exp}, which HotSpot and V8 compute to within an ulp but not
 * alike; a number written with more than 19 significant digits is read an ulp apart in rare
 * cases (TeaVM's {@code parseDouble} is the fast parser's fallback for them); and the text of a
 * double that needs 17 digits (a key or list item made from a number) is the shortest one in
 * the browser, where Java 17's {@code Double.toString} sometimes writes a longer one for the
 * same value (JDK-4511638, fixed in Java 19).
 */
package livegraph.engine;
