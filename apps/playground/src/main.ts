import { findFields, readControls, showOutputs, writeControls } from './controls.js';
import { GraphPanel } from './graph-panel.js';
import type { PlaygroundState, ViewName } from './playground-state.js';
import { TrainView } from './train-view.js';
import { decodeState, encodeState } from './url-state.js';

/**
 * The page: the state lives in the query string (so a link reproduces a run), the form
 * edits it, and any change to data, model or training starts the run again from the seed.
 */
const decoded = decodeState(location.search);
let state: PlaygroundState = decoded.state;

const problems = document.getElementById('url-problems');
if (problems !== null && decoded.problems.length > 0) {
  problems.textContent = `Parts of the link were not understood and use their defaults:\n${decoded.problems.join('\n')}`;
  problems.hidden = false;
}

function saveUrl(): void {
  const url = `${location.pathname}?${encodeState(state)}`;
  history.replaceState(null, '', url);
}

const fields = findFields();
writeControls(fields, state);
const train = new TrainView(state);
const graph = new GraphPanel(state.expression, (source) => {
  state = { ...state, expression: source };
  saveUrl();
});

function showView(view: ViewName): void {
  state = { ...state, view };
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs [data-view]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  }
  const trainView = document.getElementById('view-train');
  const graphView = document.getElementById('view-graph');
  if (trainView !== null) trainView.hidden = view !== 'train';
  if (graphView !== null) graphView.hidden = view !== 'graph';
  if (view === 'graph') {
    train.pause();
    graph.render();
  }
  document.body.dataset.view = view;
}

for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs [data-view]')) {
  tab.addEventListener('click', () => {
    showView(tab.dataset.view === 'graph' ? 'graph' : 'train');
    saveUrl();
  });
}

const form = document.getElementById('controls');
form?.addEventListener('input', () => showOutputs(fields));
form?.addEventListener('change', () => {
  const next = readControls(fields, state);
  if (encodeState(next) === encodeState(state)) return;
  state = next;
  writeControls(fields, state);
  saveUrl();
  train.reset(state);
});
form?.addEventListener('submit', (event) => event.preventDefault());

document.getElementById('reseed')?.addEventListener('click', () => {
  const [seed = 0] = crypto.getRandomValues(new Uint32Array(1));
  state = { ...state, seed };
  writeControls(fields, state);
  saveUrl();
  train.reset(state);
});

document.getElementById('copy-link')?.addEventListener('click', () => {
  saveUrl();
  const status = document.getElementById('copy-status');
  const done = (text: string): void => {
    if (status === null) return;
    status.textContent = text;
    setTimeout(() => (status.textContent = ''), 2500);
  };
  navigator.clipboard.writeText(location.href).then(
    () => done('Link copied'),
    () => done('Copy the address bar to share'),
  );
});

showView(state.view);
saveUrl();
// For the end-to-end tests: the page is wired and has drawn its first frame.
document.body.dataset.ready = 'true';
