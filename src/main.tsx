import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { markOfflineReady, markUpdateWaiting } from './state/appStatus';
import { App } from './ui/App';
import './ui/app.css';

// The service worker stores the app for offline use; in development it is off and this does nothing.
const activateUpdate = registerSW({
  onNeedRefresh: () => markUpdateWaiting(() => activateUpdate(true)),
  onOfflineReady: markOfflineReady,
  // An active worker has finished storing every file, on this visit or an earlier one.
  onRegisteredSW: (_url, registration) => {
    if (registration?.active) markOfflineReady();
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
