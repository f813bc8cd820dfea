/**
 * Ctrl-C, `kill` and a closed terminal (SIGINT, SIGTERM, SIGHUP) end a command with the shell's
 * codes 130, 143 and 129 after its cleanup. Signals reach JavaScript only between synchronous
 * stretches: `settle()` lets one that arrived during such a stretch (writing the outputs) be handled
 * before the step that cannot be undone (replacing the previous output folder), so that an
 * interrupted run never replaces it.
 */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;
const SIGNALS = Object.keys(SIGNAL_EXIT) as StopSignal[];

export interface Interrupt {
  /** Yield to the event loop so that a signal received meanwhile is handled now (and exits). */
  settle(): Promise<void>;
  /** Remove the handlers (the default actions apply again). */
  off(): void;
}

/** On any of the three signals: `cleanup(signal)`, then exit with the signal's code. */
export function onInterrupt(cleanup: (signal: StopSignal) => void): Interrupt {
  const handler = (signal: NodeJS.Signals): void => {
    const s = signal as StopSignal;
    try {
      cleanup(s);
    } finally {
      process.exit(SIGNAL_EXIT[s]);
    }
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    async settle() {
      // The signal watcher is read in the poll phase; an immediate runs after it: two turns.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    },
    off() {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
