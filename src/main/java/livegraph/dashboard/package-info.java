/**
 * Dashboards: named sets of sources and charts, read from YAML files ({@link
 * livegraph.dashboard.DashboardLoader}, every mistake reported as file:line:column), watched
 * for edits ({@link livegraph.dashboard.DashboardWatcher}), described to pages ({@link
 * livegraph.dashboard.HelloJson}), and written on one line for the command line ({@link
 * livegraph.dashboard.ChartShorthand}). The built-in StackExchange dashboard is one such file.
 */
package livegraph.dashboard;
