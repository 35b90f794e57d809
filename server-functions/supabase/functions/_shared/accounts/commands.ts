// Flagging a trainer's account for review (it blocks featured purchases).
import { flagAccount } from '../../../../../shared/commands/accounts.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal, when } from '../operator/versioned.ts';

const accountFlag: Handler<typeof flagAccount.type> = async (ctx, c) => {
  const [row] = await ctx.tx<{ role: string; account_status: string; flagged_at: Date | null }[]>`
    select role, account_status, flagged_at from public.profiles where id = ${c.payload.profileId} for update`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `account ${c.payload.profileId} does not exist` });
  if (row.role !== 'trainer') throw new Refusal({ kind: 'refused', reason: 'only trainer accounts can be flagged for review' });
  if (row.account_status === 'flagged_for_review') {
    throw new Refusal({ kind: 'refused', reason: `account is already flagged for review (since ${when(row.flagged_at)})` });
  }
  await ctx.tx`
    update public.profiles set account_status = 'flagged_for_review', flagged_reason = ${c.payload.reason}, flagged_at = ${ctx.now}
    where id = ${c.payload.profileId}`;
  return {
    subjectType: 'profile',
    subjectId: c.payload.profileId,
    before: { account_status: row.account_status },
    after: { account_status: 'flagged_for_review', flagged_reason: c.payload.reason },
  };
};

export const accountHandlers: Handlers<typeof flagAccount.type> = { [flagAccount.type]: accountFlag };
