// Which RED alerts the operator has not been told about yet: the tray
// notifies each once, however many syncs see it open.
import type { AlertItem } from '../../shared/api/operator.ts';

export function createRedAlertWatcher() {
  const told = new Set<string>();
  return (open: AlertItem[]): AlertItem[] => {
    const fresh = open.filter((a) => a.severity === 'RED' && !a.resolvedAt && !told.has(a.id));
    for (const a of fresh) told.add(a.id);
    return fresh;
  };
}
