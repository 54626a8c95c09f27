// livegraph page: wires the socket (connection.js) to the chart renderers (charts.js) through
// a once-per-frame draw scheduler (scheduler.js), plus the status bar (status.js) and the
// banner for a rejected dashboard edit. No build step, no network access beyond this origin.
//
// Protocol (JSON text frames on the socket beside the page, see PROTOCOL.md):
//   server -> page: hello        {dashboard:{name, title, charts:[{id,title,kind,…}]}, source}
//                                 builds the layout; a later hello with another dashboard
//                                 (a reload) rebuilds it, and the snapshot after it fills it
//                   snapshot     {seq, charts:{id: state}}   replaces every chart
//                   delta        {seq, charts:{id: state}}   full state of each changed chart
//                   status       {source:{state,detail,events,eventsPerSecond,skipped,dropped}, viewers}
//                   error        {message}
//                   config-error {message|null}   a rejected dashboard edit; null clears it
//   page -> server: resume {seq}   after a gap; reconnects use ws?resume=<seq> instead.
//                   view {filter: {field, value} | null}   show a filtered view (filter.js);
//                                 the socket URL carries it as ?filter=&value= as well
//
// The page itself (panels, renderers, scheduler, status bar, test hooks) is page.js; pause and
// resume is pause.js; the view a link carries (windows, paused) is viewurl.js; click a key to
// filter is filter.js; the per-chart PNG and CSV buttons are chartfiles.js; "Download
// snapshot" in the header is a link to snapshot.html beside the page (see PROTOCOL.md).

import { Connection } from './connection.js';
import { FilterControl } from './filter.js';
import { livePage } from './livepage.js';
import { setParam } from './urlstate.js';

// A server started with --token is opened once as ?token=T; its answer set an HttpOnly cookie
// that carries the token from then on, so the address bar (and any link copied from it) drops it.
setParam('token', null);

const { page, pause } = livePage();
const filter = new FilterControl({ page, send: (msg) => connection.send(msg) });

const connection = new Connection({
  onHello: (msg) => {
    page.hello(msg);
    // Another view's numbers: states frozen by a pause belong to the one left.
    if (filter.hello(msg)) pause.resume();
  },
  onCharts: (charts, replaceAll) => page.charts(charts, replaceAll, connection.lastSeq),
  onStatus: (msg) => page.status(msg),
  onError: (message) => page.error(message),
  onConfigError: (message) => page.configError(message),
  onIgnored: (reason) => page.ignored(reason),
  onState: (state, retryAt, reason) => page.connectionState(state, retryAt, reason),
}, { query: () => filter.socketParams() });

connection.start();
