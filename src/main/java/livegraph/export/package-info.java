/**
 * Pages that work without a livegraph server: one self-contained HTML file holding the page's
 * scripts, styles, Plotly and data, for the exported live page and for snapshots.
 */
package livegraph.export;
