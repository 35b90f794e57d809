// The AI_MODE switch (playbook 1).
import { setAiMode } from '../../../../../shared/commands/ai.ts';
import type { Handler, Handlers } from '../operator/command.ts';

const aiModeSet: Handler<typeof setAiMode.type> = async (ctx, c) => {
  const [row] = await ctx.tx<{ value: string }[]>`select value from public.feature_flags where key = 'AI_MODE' for update`;
  await ctx.tx`
    insert into public.feature_flags (key, value, updated_by) values ('AI_MODE', ${c.payload.mode}, ${ctx.operatorId})
    on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by`;
  return { subjectType: 'feature_flag', subjectId: 'AI_MODE', before: { value: row?.value ?? null }, after: { value: c.payload.mode } };
};

export const aiHandlers: Handlers<typeof setAiMode.type> = { [setAiMode.type]: aiModeSet };
