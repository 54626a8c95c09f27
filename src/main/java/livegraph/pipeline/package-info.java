/**
 * The pipeline stage: chart specs, their incremental aggregators, and {@link
 * livegraph.pipeline.Pipeline}, the single thread that owns all chart state of a dashboard and
 * publishes the charts that changed at each tick as UTF-8 JSON.
 *
 * <p>Chart state shapes (one JSON value per chart):
 *
 * <ul>
 *   <li>bar: {@code {"windows":{"10m":{"x":[keys],"y":[counts]},...},"overflow":n}}
 *   <li>timeseries: {@code {"start":ms,"step":ms,"series":[{"name":"total","values":[...]},...]}}
 *   <li>list: {@code {"items":[{"time":ms,"field":value,...},...]}}, newest first
 * </ul>
 */
package livegraph.pipeline;
