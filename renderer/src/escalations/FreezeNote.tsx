// Wherever a frozen business appears: the legal escalation that holds the
// operator's hand for it (spec Part 7), and how to lift it.
import type { Freeze } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './escalations.module.css';

export function FreezeNote({ freeze }: { freeze: Freeze }) {
  return (
    <p className={css.freeze} role="note" aria-label={`Frozen: ${freeze.businessName}`}>
      <Badge tone="YELLOW">Frozen</Badge>{' '}
      <span>
        Legal escalation "{freeze.subject}" is open (since <Time at={freeze.openedAt} />
        ): refund decisions, activations, flags and emails for {freeze.businessName} wait for legal guidance. Close the escalation (Escalations) to lift the
        freeze.
      </span>
    </p>
  );
}
