// The dashboard page as a person uses it live, for both live pages (the server's, app.js, and
// the exported one, export/live.js): page.js plus pause and resume (pause.js), the windows and
// pause a link carries (viewurl.js), and per-chart PNG and CSV (chartfiles.js). A static
// snapshot uses page.js and chartfiles.js alone: nothing on it moves.

import { addChartFiles } from './chartfiles.js';
import { DashboardPage } from './page.js';
import { PauseControl, pauseControls } from './pause.js';
import { ViewUrl } from './viewurl.js';

/** A live page: { page, pause }. */
export function livePage() {
  const pause = new PauseControl({ live: () => page.hooks.charts, redrawAll: () => page.markAll() });
  const page = new DashboardPage({
    listeners: {
      stateOf: (id) => pause.stateOf(id),
      frozen: () => pause.paused,
      onCharts: (ids, replaceAll) => {
        pause.updated();
        view.charts(replaceAll);
      },
      onLayout: (charts, panels) => {
        pause.layoutRebuilt();
        view.layout(charts);
        addChartFiles(page, panels);
      },
    },
  });
  pauseControls(pause, page.hooks);
  const view = new ViewUrl(page, pause);
  return { page, pause };
}
