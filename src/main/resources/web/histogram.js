// The histogram chart: counts over equal bins between min and max, drawn as bars that touch,
// each over its bin; values below min and above max are counted apart and shown as text.
// State: {"min":A,"max":B,"counts":[…bins],"under":N,"over":N}

import { finite, formatValue, numbers } from './format.js';
import { ACCENT, GRID, baseLayout, note, plotDiv, plotlyDrawer } from './plot.js';

/** Bin i covers [min + i * w, min + (i + 1) * w) with w = (max - min) / bins. */
export function binEdges(min, max, bins) {
  const width = (max - min) / bins;
  const edges = new Array(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = min + i * width;
  return edges;
}

export function createHistogramRenderer(chart, ctx) {
  const div = plotDiv(ctx.body, chart);
  const outside = note(ctx.body, 'histogram-outside');
  const draw = plotlyDrawer(div);
  return {
    draw(state) {
      const min = finite(state && state.min);
      const max = finite(state && state.max);
      const counts = numbers(state && state.counts);
      const usable = min !== null && max !== null && max > min && counts.length > 0;
      const edges = usable ? binEdges(min, max, counts.length) : [];
      const x = usable ? counts.map((_, i) => (edges[i] + edges[i + 1]) / 2) : [];
      const width = usable ? (max - min) / counts.length : 1;
      const layout = baseLayout();
      layout.margin.b = 40;
      layout.bargap = 0;
      layout.xaxis = { type: 'linear', gridcolor: GRID, automargin: true, range: usable ? [min, max] : undefined };
      layout.yaxis = { rangemode: 'tozero', gridcolor: GRID, automargin: true };
      draw([{
        type: 'bar',
        x,
        y: usable ? counts : [],
        width,
        customdata: usable ? counts.map((c, i) => `[${formatValue(edges[i])}, ${formatValue(edges[i + 1])}): ${formatValue(c)}`) : [],
        marker: { color: ACCENT, line: { color: '#ffffff', width: 1 } },
        hovertemplate: '%{customdata}<extra></extra>',
      }], layout);
      const field = chart.field == null ? 'values' : String(chart.field);
      outside.textContent = usable
        ? `${formatValue(state.under ?? null)} ${field} below ${formatValue(min)} · ${formatValue(state.over ?? null)} above ${formatValue(max)}`
        : '';
    },
  };
}
