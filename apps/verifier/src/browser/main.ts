/** The verifier page: two views, the Digital Credentials API request flow and the inspector. */
import { byId } from './dom.js';
import { setUpInspector } from './inspector.js';
import { type PageConfig, setUpRequestFlow } from './request-flow.js';

function showView(name: string): void {
  for (const view of ['request', 'inspect']) {
    byId(`view-${view}`).hidden = view !== name;
    byId(`tab-${view}`).setAttribute('aria-selected', String(view === name));
  }
}

async function start(): Promise<void> {
  for (const view of ['request', 'inspect']) {
    byId(`tab-${view}`).addEventListener('click', () => {
      showView(view);
      history.replaceState(null, '', `#${view}`);
    });
  }
  showView(location.hash === '#inspect' ? 'inspect' : 'request');
  setUpInspector();
  const config = (await (await fetch('/api/config')).json()) as PageConfig;
  setUpRequestFlow(config);
  document.body.dataset['ready'] = 'true';
}

void start();
