// The playground page: reads the state from the URL, builds the panels, hands the training and the race to the
// worker and draws what it sends back. Every change of a setting rewrites the URL and starts the network afresh from
// the seed, so the URL always describes the run on screen.
import type { FromWorker, ToWorker } from './protocol.js';
import { decodeState, encodeState, type View } from './state.js';
import type { Snapshot } from './trainer.js';
import type { PageContext } from './ui/context.js';
import { DataPanel } from './ui/data-panel.js';
import { $ } from './ui/dom.js';
import { NetworkPanel } from './ui/network-panel.js';
import { OutputPanel } from './ui/output-panel.js';
import { RacePanel } from './ui/race-panel.js';
import { Toolbar } from './ui/toolbar.js';

const decoded = decodeState(location.search.slice(1));
if (decoded.problems.length > 0) {
  const box = $('problems');
  box.textContent = `Some settings in the link were not understood and were left at their defaults: ${decoded.problems.join('; ')}.`;
  box.hidden = false;
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let workerAlive = true;
const send = (message: ToWorker): void => {
  if (workerAlive) worker.postMessage(message);
};
/** Counts the runs started, so that an update of an earlier run that arrives late is not drawn. */
let run = 0;
let lastSnapshot: Snapshot | null = null;

const page: PageContext = {
  state: decoded.state,
  writeUrl() {
    history.replaceState(null, '', `${location.pathname}?${encodeState(page.state)}`);
  },
  restart() {
    page.writeUrl();
    send({ type: 'setup', state: structuredClone(page.state) });
  },
};

const data = new DataPanel(page);
const network = new NetworkPanel(page);
const output = new OutputPanel(page);
const race = new RacePanel(page, (fn, start) => send({ type: 'race', fn, start }));
const toolbar = new Toolbar(page, {
  play: () => send({ type: 'play' }),
  pause: () => send({ type: 'pause' }),
  step: () => send({ type: 'step' }),
  seedChanged: () => data.drawThumbnails(),
});

function fatal(message: string): void {
  workerAlive = false;
  const box = $('fatal');
  box.textContent = `The WASM backend could not start, so nothing can train: ${message}`;
  box.hidden = false;
  const badge = $('backend-status');
  badge.textContent = 'WASM backend failed';
  badge.className = 'badge';
  toolbar.setPlaying(false);
}

worker.onerror = (event) => fatal(event.message || 'the training worker failed to load');

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'backend': {
      const badge = $('backend-status');
      badge.textContent = `${message.name.toUpperCase()} backend (${message.build})`;
      badge.className = 'badge ok';
      badge.dataset.backend = message.name;
      badge.dataset.build = message.build;
      return;
    }
    case 'fatal':
      fatal(message.message);
      return;
    case 'reset':
      run++;
      lastSnapshot = message.snapshot;
      output.reset(message.train, message.test, message.snapshot);
      network.draw(message.snapshot);
      return;
    case 'update': {
      const of = run;
      requestAnimationFrame(() => {
        if (of === run) {
          lastSnapshot = message.snapshot;
          output.show(message.snapshot);
          network.draw(message.snapshot);
        }
        send({ type: 'ack' });
      });
      return;
    }
    case 'race':
      race.paths(message.fn, message.start, message.paths);
      return;
    case 'error': {
      toolbar.setPlaying(false);
      const box = $('problems');
      box.textContent = `Training stopped: ${message.message}`;
      box.hidden = false;
      return;
    }
  }
};

// ---- the two views ---------------------------------------------------------------------------------------------

function showView(view: View): void {
  page.state.view = view;
  $('view-network').hidden = view !== 'network';
  $('view-race').hidden = view !== 'race';
  for (const tab of document.querySelectorAll<HTMLButtonElement>('header nav button')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.view === view));
  }
  if (view === 'race') race.request();
  else if (lastSnapshot !== null) network.drawLinks(lastSnapshot); // the links need the network view's layout
}

for (const tab of document.querySelectorAll<HTMLButtonElement>('header nav button')) {
  tab.addEventListener('click', () => {
    showView(tab.dataset.view as View);
    page.writeUrl();
  });
}

showView(page.state.view);
page.restart();
