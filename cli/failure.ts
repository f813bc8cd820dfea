/**
 * What the command line says and which exit code it gives for an error that ends a command: 2 for
 * invalid input (located), 3 for a simulation fault (naming block and transaction), and 1 — one
 * line, a request to report it, no stack trace unless HEDGESIM_DEBUG=1 — for anything unexpected,
 * which is a bug of hedgesim. Kept apart from main.ts so the tests can classify errors in-process
 * exactly as the command does.
 */
// Error classes only, from modules that load nothing else: the command's start-up stays light.
import { LockError, MergeError, ShardError, SweepStateError } from '../batch/errors';
import { ScenarioError } from '../scenarios/errors';
import { ConfigError, SimulationFault } from '../sim/errors';
import { SweepFlagError, UsageError } from './output';

export interface Failure {
  code: 1 | 2 | 3;
  /** What goes to stderr, ending with a newline. */
  text: string;
}

export function describeFailure(e: unknown, red: (s: string) => string = (s) => s, env: NodeJS.ProcessEnv = process.env): Failure {
  if (e instanceof ScenarioError) return { code: 2, text: `${red('invalid scenario')}\n${e.format()}\n` };
  if (e instanceof ConfigError) return { code: 2, text: `${red('invalid scenario')}: ${e.message}\n` };
  if (e instanceof UsageError || e instanceof SweepFlagError || e instanceof ShardError || e instanceof SweepStateError || e instanceof MergeError || e instanceof LockError) {
    return { code: 2, text: `${red('error')}: ${e.message}\n` };
  }
  if (e instanceof SimulationFault) {
    let text = `${red('simulation fault')}: ${e.message}\n`;
    const { cause: _cause, ...details } = e.details as Record<string, unknown>;
    if (Object.keys(details).length > 0) text += `${JSON.stringify(details, null, 2)}\n`;
    return { code: 3, text: `${text}No output was written.\n` };
  }
  // A bug: one line, never a stack trace (unless asked for), and where to report it.
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const oneLine = what.split('\n')[0]!.slice(0, 500);
  const stack = env.HEDGESIM_DEBUG === '1' && e instanceof Error && e.stack !== undefined ? `${e.stack}\n` : '';
  return { code: 1, text: `${red('internal error')}: ${oneLine} — this is a bug in hedgesim; please report it with the command and its input files (HEDGESIM_DEBUG=1 prints the stack trace)\n${stack}` };
}
