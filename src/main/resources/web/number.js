// The number chart: one big value with its measure, and a sparkline of its recent buckets.
// State: {"value":V|null,"start":MS,"step":MS,"spark":[…]}; null = no value (shown as a dash,
// and as a gap in the sparkline).

import { formatValue, numbers } from './format.js';
import { ACCENT, STATIC_CONFIG, bucketTimes, fillRuns, plotlyDrawer, translucent } from './plot.js';

export function createNumberRenderer(chart, ctx) {
  const box = document.createElement('div');
  box.id = `chart-${chart.id}`;
  box.className = 'number-chart';
  const value = document.createElement('div');
  value.className = 'number-value';
  value.textContent = '–';
  const caption = document.createElement('div');
  caption.className = 'number-caption';
  caption.textContent = chart.measure == null ? '' : String(chart.measure);
  const spark = document.createElement('div');
  spark.id = `spark-${chart.id}`;
  spark.className = 'sparkline';
  box.append(value, caption, spark);
  ctx.body.appendChild(box);
  const draw = plotlyDrawer(spark, STATIC_CONFIG);
  return {
    draw(state) {
      const v = state && state.value;
      value.textContent = formatValue(v);
      value.classList.toggle('gap', !Number.isFinite(v));
      const y = numbers(state && state.spark);
      const x = bucketTimes(state, y.length) ?? [];
      draw([...fillRuns(x, y, 'spark', translucent(ACCENT, 0.15)), {
        type: 'scatter',
        mode: 'lines',
        name: 'spark',
        x,
        y,
        connectgaps: false,
        line: { width: 1.5, color: ACCENT },
        hoverinfo: 'skip',
      }], {
        margin: { l: 0, r: 0, t: 2, b: 0 },
        xaxis: { visible: false, fixedrange: true },
        yaxis: { visible: false, fixedrange: true, rangemode: 'tozero' },
        showlegend: false,
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        autosize: true,
      });
    },
  };
}
