import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createStores } from './app/stores.ts';
import { consoleApi } from './bridge/index.ts';
import './styles.css';

const stores = createStores(consoleApi());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App stores={stores} />
  </StrictMode>,
);
