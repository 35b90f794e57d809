// `npm run demo -- incident <zai|webhook|cron|queue|refunds>`: a playbook's
// condition on the running local stack (server-functions/local/demo/).
import { runDemo } from '../server-functions/local/demo/cli.ts';

void runDemo(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
