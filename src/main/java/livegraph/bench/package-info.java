/**
 * {@code livegraph bench}: load tools that measure a running server from outside, as a user's
 * viewers would. {@code fanout} feeds a server under test (livegraph, or a peer relay) with
 * events over TCP, opens many viewers from one client process and reports what they received;
 * {@code startup} times {@code ./livegraph} to its first frame. Not part of the engine: nothing
 * in the data path depends on this package. BENCHMARKS.md has the commands and the numbers.
 */
package livegraph.bench;
