// The four triage cases as the live function answered them, against the expected answers.
import type { TriageCheck } from '../../../shared/api/playbooks.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';

export function TriageTable({ check }: { check: TriageCheck }) {
  return (
    <table>
      <caption>
        The four test cases in {check.mode} mode, run <Time at={check.at} />: {check.allOk ? 'all as expected' : 'not all as expected'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Expected</th>
          <th scope="col">Answer</th>
          <th scope="col">Pass</th>
        </tr>
      </thead>
      <tbody>
        {check.cases.map((c) => (
          <tr key={c.text}>
            <td>{c.text}</td>
            <td>{c.expected}</td>
            <td>{c.got ?? c.error ?? 'no answer'}</td>
            <td>{c.ok ? <Badge tone="GREEN">Pass</Badge> : <Badge tone="RED">Fail</Badge>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
