import { findFields, readControls, showOutputs, writeControls } from './controls.js';
import { GraphPanel } from './graph-panel.js';
import type { PlaygroundState, ViewName } from './playground-state.js';
import { FEATURES } from './playground-state.js';
import { TakeAway } from './take-away.js';
import { TrainView } from './train-view.js';
import { decodeState, encodeState } from './url-state.js';
import { Walkthrough } from './walkthrough.js';

/**
 * The page: the state lives in the query string (so a link reproduces a run), the form and
 * the network diagram edit it, and any change to data, model or training starts the run
 * again from the seed. Training runs in a Web Worker; this thread only draws.
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

/** Display options redraw; everything else starts a new run. */
const DISPLAY_ONLY: readonly (keyof PlaygroundState)[] = ['showTest', 'discretize', 'view'];

function apply(next: PlaygroundState): void {
  if (encodeState(next) === encodeState(state)) return;
  const previous = state;
  state = next;
  writeControls(fields, state);
  saveUrl();
  const keys = Object.keys(state) as (keyof PlaygroundState)[];
  const changed = keys.filter((k) => JSON.stringify(state[k]) !== JSON.stringify(previous[k]));
  if (changed.every((k) => DISPLAY_ONLY.includes(k))) train.redraw(state);
  else train.reset(state);
}

const fields = findFields();
writeControls(fields, state);
const train = new TrainView(state, {
  toggleFeature: (feature) => {
    const on = state.features.includes(feature);
    // At least one input stays.
    if (on && state.features.length === 1) return;
    const features = FEATURES.filter((f) => (f === feature ? !on : state.features.includes(f)));
    apply({ ...state, features });
  },
  setHidden: (hidden) => apply({ ...state, hidden }),
});
const graph = new GraphPanel(state.expression, (source) => {
  state = { ...state, expression: source };
  saveUrl();
});
new Walkthrough(train);
new TakeAway(train, () => state);

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
form?.addEventListener('change', () => apply(readControls(fields, state)));
form?.addEventListener('submit', (event) => event.preventDefault());

document.getElementById('reseed')?.addEventListener('click', () => {
  const [seed = 0] = crypto.getRandomValues(new Uint32Array(1));
  apply({ ...state, seed });
});

// On a phone the control groups start closed, so the plot and Play come first.
if (window.matchMedia('(max-width: 780px)').matches) {
  for (const group of document.querySelectorAll<HTMLDetailsElement>('details.group'))
    group.open = false;
}

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
// For the end-to-end tests: a handle on the training view, and the page is ready once it
// has drawn the worker's first frame.
(window as unknown as { playground: TrainView }).playground = train;
train.onFrame = () => {
  document.body.dataset.ready = 'true';
};
