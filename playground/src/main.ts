// The playground's entry: reads the state from the URL, mounts the three
// panels, keeps the URL in step with every change, and (in a build) registers
// the service worker that makes the page work offline once loaded.
import { mountBpPanel } from './backprop/view.js';
import { mountCePanel } from './ce/view.js';
import { mountTrainPanel } from './train/view.js';
import { decodeState, encodeState, type AppState } from './url.js';
import './style.css';

let state: AppState = decodeState(location.hash);

// Write the URL at most once per frame while a slider is dragged; replaceState keeps the history clean.
let pending = false;
function save(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    history.replaceState(null, '', `#${encodeState(state)}`);
  });
}

const ce = mountCePanel(document.getElementById('ce')!, state.ce, (s) => {
  state = { ...state, ce: s };
  save();
});
const bp = mountBpPanel(document.getElementById('bp')!, state.bp, (s) => {
  state = { ...state, bp: s };
  save();
});
const train = mountTrainPanel(document.getElementById('train')!, state.train, (s) => {
  state = { ...state, train: s };
  save();
});
save();
performance.mark('xent-playground-ready'); // every panel drawn: the e2e test's first-load measure

// A link pasted into the address bar (or edited by hand) sets every panel.
window.addEventListener('hashchange', () => {
  if (location.hash === `#${encodeState(state)}`) return;
  state = decodeState(location.hash);
  ce.set(state.ce);
  bp.set(state.bp);
  train.set(state.train);
});

// The navigation scrolls to a panel without touching the fragment (it holds the state).
for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-jump]')) {
  a.addEventListener('click', (e) => {
    e.preventDefault();
    document.querySelector(a.getAttribute('href')!)?.scrollIntoView({ behavior: 'smooth' });
  });
}

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e: unknown) => console.warn('offline cache unavailable:', e));
  });
}
