// A lean HTTP/1.1 client for load generation: one kept-alive socket per
// client, requests written as prepared bytes, answers read by Content-Length.
// The benchmarks' load generator shares this machine's two cores with
// everything it measures; node:http costs it ~0.5 ms of CPU per request and
// fetch ~1.7 ms, this a fraction of that (as wrk or autocannon would).
// Only what our gateway answers is understood: anything else (chunked
// answers, no Content-Length) fails the request loudly.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  body: Buffer;
}

export class RawHttpConnection {
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private pending: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** `POST path` with the given headers and body; one request at a time per connection. */
  post(path: string, headers: Record<string, string>, body: string | Buffer): Promise<RawResponse> {
    if (this.pending) return Promise.reject(new Error('one request at a time per connection'));
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const head = [
      `POST ${path} HTTP/1.1`,
      `host: ${this.host}:${this.port}`,
      `content-length: ${payload.length}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ].join('\r\n');
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), payload]));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    const fail = (err: Error) => {
      if (this.socket !== socket) return; // an earlier socket, already replaced
      this.socket = null;
      this.buffer = Buffer.alloc(0);
      const p = this.pending;
      this.pending = null;
      p?.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the answer')));
    this.socket = socket;
    return socket;
  }

  private drain(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!status || !length) {
      const p = this.pending;
      this.pending = null;
      this.close();
      p.reject(new Error(`unexpected answer (no status or Content-Length): ${head.split('\r\n')[0]}`));
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const body = this.buffer.subarray(end + 4, total);
    this.buffer = this.buffer.subarray(total);
    if (/\r\nconnection:\s*close/i.test(head)) this.close();
    const p = this.pending;
    this.pending = null;
    p.resolve({ status, body });
  }
}
