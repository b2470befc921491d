// An open-loop load at a fixed rate: request k is due at start + k/rate whatever the answers
// before it, over at most `connections` keep-alive sockets, and its latency runs from when it
// was due (so a slow server is not let off by the generator waiting: no coordinated omission).
// autocannon's overallRate sends each second's quota in one burst and then corrects for an
// expected interval of 1 ms, which inflates the p99 of any server slower than 1 ms.

import http from 'node:http';

export interface PacedResult { rps: number; p99: number; errors: number }

export async function pacedLoad(url: string, body: () => string, opts: { rate: number; seconds: number; connections: number; headers?: Record<string, string> }): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.max(1, Math.round(opts.rate * opts.seconds));
  const latencies: number[] = [];
  let errors = 0;
  const one = (due: number, payload: string) => new Promise<void>((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...opts.headers } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode! >= 200 && res.statusCode! < 300) latencies.push(performance.now() - due);
        else errors += 1;
        resolve();
      });
    });
    req.on('error', () => {
      errors += 1;
      resolve();
    });
    req.end(payload);
  });
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  try {
    for (let k = 0; k < total; k++) {
      const due = started + (k * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(one(due, body()));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const p99 = sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
  return { rps: latencies.length / ((performance.now() - started) / 1000), p99: Math.round(p99 * 10) / 10, errors };
}
