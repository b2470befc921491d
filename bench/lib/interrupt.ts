// A benchmark interrupted (Ctrl-C, SIGTERM, a timeout) skips its `finally` blocks: what it
// started registers its stop here, and one handler runs them all before exiting.

const stops = new Set<() => unknown>();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...stops].map(async (stop) => stop())).then(() => process.exit(130));
  });
}

/** Runs `stop` if the process is interrupted; call the returned function once it is stopped. */
export function stopOnInterrupt(stop: () => unknown): () => void {
  stops.add(stop);
  return () => stops.delete(stop);
}
