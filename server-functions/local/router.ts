// Serves every edge function in one Deno process, the way the Supabase edge
// runtime serves each `functions/<name>/index.ts`: each index.ts calls
// Deno.serve(handler) as it would when deployed; here Deno.serve is briefly
// replaced so the handler is captured instead of opening a port, and requests
// arriving at /<name>/... are passed to it unchanged.
import { installLastResort } from '../supabase/functions/_shared/serve.ts';

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

// Nothing one request does may end the process every function shares.
installLastResort();

const functionsDir = new URL('../supabase/functions/', import.meta.url);
const port = Number(Deno.env.get('ROUTER_PORT') ?? '0');
const names = Deno.env.get('FUNCTION_NAMES')?.split(',').filter(Boolean) ?? [];

const handlers = new Map<string, Handler>();
const realServe = Deno.serve;
for (const name of names) {
  let captured: Handler | undefined;
  (Deno as unknown as { serve: unknown }).serve = (...args: unknown[]) => {
    captured = (args.find((a) => typeof a === 'function') as Handler | undefined) ?? (args[0] as { handler?: Handler } | undefined)?.handler;
    return { finished: Promise.resolve(), shutdown: async () => {}, ref() {}, unref() {}, addr: { transport: 'tcp', hostname: '127.0.0.1', port } };
  };
  try {
    await import(new URL(`${name}/index.ts`, functionsDir).href);
  } catch (err) {
    // As on Supabase, one function failing to boot (say, a missing secret)
    // must not take the others down: it answers 503 naming the reason.
    const reason = `function ${name} failed to start: ${(err as Error).message}`;
    console.error(reason);
    captured = () => Response.json({ error: { type: 'unavailable', message: reason } }, { status: 503 });
  } finally {
    (Deno as unknown as { serve: unknown }).serve = realServe;
  }
  if (!captured) throw new Error(`function ${name}: index.ts did not call Deno.serve(handler)`);
  handlers.set(name, captured);
}

const server = realServe({ hostname: '127.0.0.1', port, onListen: () => {} }, (req, info) => {
  const name = new URL(req.url).pathname.split('/')[1] ?? '';
  const handler = handlers.get(name);
  if (!handler) {
    return Response.json({ code: 'NOT_FOUND', message: 'Requested function was not found' }, { status: 404 });
  }
  return handler(req, info); // each function's index.ts already serves through _shared/serve.ts's guard
});
console.log(`router ready on ${server.addr.port} serving ${[...handlers.keys()].join(', ')}`);
