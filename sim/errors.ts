/** Typed errors with a literal name, a short message and details, so callers can narrow on them. */

/** Invalid input: a scenario, flag or configuration that cannot be run. CLI exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError' as const;
  /** Field path in the configuration, e.g. `agents[2].trigger.band`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

export type FaultCode =
  | 'NAN'
  /** An amount beyond float64's range (about 1.8e308): use smaller units, or exact mode. */
  | 'OVERFLOW'
  /** A quantity that must be positive fell to 0 (a price under extreme volatility underflows). */
  | 'UNDERFLOW'
  | 'NEGATIVE_BALANCE'
  | 'NEGATIVE_RESERVE'
  | 'CPMM_K'
  | 'TRIAD_INVARIANT'
  | 'CONSERVATION'
  | 'AGENT_ERROR';

/** Numerical trouble during a run. The run stops; CLI exit code 3. Names block and transaction. */
export class SimulationFault extends Error {
  override readonly name = 'SimulationFault' as const;
  readonly code: FaultCode;
  readonly block: number;
  /** Transaction id, or -1 when the fault is not tied to one transaction. */
  readonly tx: number;
  readonly details: Record<string, unknown>;
  constructor(code: FaultCode, block: number, tx: number, message: string, details: Record<string, unknown> = {}) {
    super(`${code} at block ${block}${tx >= 0 ? `, transaction ${tx}` : ''}: ${message}`);
    this.code = code;
    this.block = block;
    this.tx = tx;
    this.details = details;
  }
}
