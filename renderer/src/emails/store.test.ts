import { describe, expect, it } from 'vitest';
import type { EmailItem } from '../../../shared/api/operator.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { countByStatus, createEmailsStore } from './store.ts';

const email = (over: Partial<EmailItem>): EmailItem => ({
  id: 'e1',
  to: 'sam@example.test',
  template: 'refund_approved',
  subject: 'Your refund has been processed',
  body: 'Hi Sam,',
  status: 'queued',
  attempts: 0,
  lastError: null,
  createdAt: '2026-12-01T01:00:00Z',
  sentAt: null,
  ...over,
});

describe('emails store', () => {
  it('loads the outbox main cached, and again with what a later pull brought', async () => {
    let answer = [email({})];
    const fake = createFakeApi({ emails: () => answer });
    const store = createEmailsStore(fake.api, createNoticesStore());
    await store.getState().load();
    expect(store.getState()).toMatchObject({ loaded: true, emails: [{ id: 'e1', status: 'queued' }] });
    answer = [email({ status: 'sent', sentAt: '2026-12-01T01:05:00Z' })];
    await store.getState().load();
    expect(store.getState().emails[0]!.status).toBe('sent');
  });

  it('keeps what it showed and says why when main cannot answer', async () => {
    let fail = false;
    const fake = createFakeApi({
      emails: () => {
        if (fail) throw new ConsoleError('server', 'the local store is locked');
        return [email({})];
      },
    });
    const notices = createNoticesStore();
    const store = createEmailsStore(fake.api, notices);
    await store.getState().load();
    fail = true;
    await store.getState().load();
    expect(store.getState().emails).toHaveLength(1);
    expect(JSON.stringify(notices.getState())).toContain('the local store is locked');
  });

  it('counts emails by status for the summary line', () => {
    expect(countByStatus([email({}), email({ status: 'sent' }), email({ status: 'failed' }), email({ status: 'sent' })])).toEqual({
      queued: 1,
      sent: 2,
      failed: 1,
    });
  });
});
