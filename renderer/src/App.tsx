import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/ipc/contract.ts';
import { consoleApi } from './api.ts';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    void consoleApi().appInfo().then(setInfo);
  }, []);
  return (
    <main>
      <h1>DTD Operator Console</h1>
      <p>{info ? `Backend: ${info.apiUrl} · v${info.version}` : 'Connecting…'}</p>
    </main>
  );
}
