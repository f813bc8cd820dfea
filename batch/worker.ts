/** The sweep's worker thread (piscina): runs one task at a time. */
import { executeRun, type RunTask, type RunOutcome } from './execute';

export default function run(task: RunTask): RunOutcome {
  return executeRun(task);
}
