import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Resolves true when nothing listens on 127.0.0.1:port. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function osAssignedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Start of the range the OS takes local ports of outgoing connections from (Linux), else null. */
function ephemeralStart(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : null;
  } catch {
    return null;
  }
}

const LOWEST = 15_000;

/**
 * A port free right now (for tests and internal listeners), taken below the
 * OS's ephemeral range when it can be: a port the OS hands out for port 0 is
 * also what it hands the next outgoing connection, and tests running side by
 * side open many, so such a port could be taken between this call and the
 * listen that uses it (seen as Deno's "Address already in use" in CI).
 */
export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  if (top !== null && top - LOWEST > 1_000) {
    for (let i = 0; i < 50; i++) {
      const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
      if (await isPortFree(port)) return port;
    }
  }
  return osAssignedPort();
}
