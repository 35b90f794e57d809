// The daily job run by hand (spec 2.4 step 3).
import { z } from 'zod';
import { online } from './define.ts';

export const runDailyJobNow = online({
  type: 'job.run_now',
  payload: z.object({}).strict(),
  versioned: false,
  doing: 'Running the daily job',
  words: {
    label: () => 'Run the daily job now',
    short: () => 'run now',
    activity: 'ran the daily job by hand',
  },
});
