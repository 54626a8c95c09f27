/**
 * The pipeline stage: chart specs, their incremental aggregators, and {@link
 * livegraph.pipeline.Pipeline}, the single thread that owns all chart state of a dashboard and
 * publishes the charts that changed at each tick as UTF-8 JSON.
 *
 * <p>Vocabulary (shared with dashboard files and the CLI): {@link livegraph.pipeline.Measure},
 * {@link livegraph.pipeline.Filter} of {@link livegraph.pipeline.Condition}s, {@link
 * livegraph.pipeline.Window}, and the sealed {@link livegraph.pipeline.ChartSpec} kinds, whose
 * memory bounds {@link livegraph.pipeline.ChartSpecs} checks. Engine: every kind but the list is
 * a {@code WindowedRows}: one ring of time buckets ({@code BucketRing}) holding rows of
 * mergeable cells per key.
 *
 * <p>Chart state shapes (one JSON value per chart; values are finite numbers or null):
 *
 * <ul>
 *   <li>bar, pie, table: {@code {"windows":{"10m":{"x":[keys],"columns":[[values],...],
 *       "other":[values]|null},...},"overflow":n}} ("other" only when the spec asks for it)
 *   <li>line, area: {@code {"start":ms,"step":ms,"series":[{"name":"total","values":[...]},...]}}
 *   <li>heatmap: {@code {"start":ms,"step":ms,"keys":[...],"z":[[per bucket] per key]}}
 *   <li>number: {@code {"value":v|null,"start":ms,"step":ms,"spark":[...]}}
 *   <li>histogram: {@code {"min":a,"max":b,"counts":[per bin],"under":n,"over":n}}
 *   <li>list: {@code {"items":[{"time":ms,"field":value,...},...]}}, newest first
 * </ul>
 */
package livegraph.pipeline;
