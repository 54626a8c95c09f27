/** Dashboards: named sets of chart specs, and the built-in StackExchange dashboard. */
package livegraph.dashboard;
