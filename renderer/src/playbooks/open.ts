// The ways into a run from other screens (an alert, a complaint, the palette,
// the incident reports list): open or resume it, then show it. A run that
// could not be opened says why in the notices, where the operator is.
import { PLAYBOOK, PLAYBOOKS, type PlaybookKind, type PlaybookSignal } from '../../../shared/api/playbooks.ts';
import type { NavStore } from '../app/nav.ts';
import type { NoticesStore } from '../ui/notices.ts';
import { saveFile } from '../ui/save-file.ts';
import type { PlaybooksStore } from './store.ts';

interface Deps {
  playbooks: PlaybooksStore;
  nav: NavStore;
  notices: NoticesStore;
}

/** The playbook a complaint of this kind opens, if any (not featured: the webhook; queue position: the queue dispute). */
export const playbookForComplaint = (kind: string): PlaybookKind | null => PLAYBOOKS.find((k) => PLAYBOOK[k].complaint === kind) ?? null;

export async function openPlaybook(d: Deps, playbook: PlaybookKind, signal: PlaybookSignal) {
  const incidentId = await d.playbooks.getState().open(playbook, signal);
  if (incidentId) d.nav.getState().go('playbook');
  else d.notices.getState().push('error', d.playbooks.getState().error ?? 'The playbook could not be opened.');
}

export function resumePlaybook(d: Deps, incidentId: string) {
  d.nav.getState().go('playbook');
  void d.playbooks.getState().show(incidentId);
}

export async function exportIncident(d: Deps, incidentId: string, format: 'txt' | 'pdf') {
  const file = await d.playbooks.getState().file(incidentId, format);
  if (file) {
    saveFile(file);
    d.notices.getState().push('info', `Saved ${file.fileName} (SHA-256 ${file.sha256})`);
  } else d.notices.getState().push('error', d.playbooks.getState().error ?? 'The report could not be fetched.');
}
