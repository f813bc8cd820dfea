/** Fields every agent spec shares, and the small helpers agents use to read them. */
import type { AgentLatencies, Amount, Schedule } from '../sim/agent';

export interface CommonSpec {
  /** Unique id; names the agent's random streams (`agent:<id>`), so keep it stable across runs. */
  id: string;
  balances?: Record<string, Amount>;
  cexBalances?: Record<string, Amount>;
  latency?: AgentLatencies;
  /** Default priority fee for its transactions, gwei per gas. */
  priorityFee?: number;
}

/** Base class: carries the common fields and the schedule. */
export abstract class BaseAgent {
  readonly id: string;
  abstract readonly kind: string;
  readonly balances: Record<string, Amount> | undefined;
  readonly cexBalances: Record<string, Amount> | undefined;
  readonly latency: AgentLatencies | undefined;
  readonly priorityFee: number;
  /** Its wake-up schedule (a fork may change its parameters: `reconfigure`, then Kernel.reschedule). */
  schedule: Schedule;

  constructor(spec: CommonSpec, schedule: Schedule) {
    this.id = spec.id;
    this.balances = spec.balances;
    this.cexBalances = spec.cexBalances;
    this.latency = spec.latency;
    this.priorityFee = spec.priorityFee ?? 0;
    this.schedule = schedule;
  }
}
