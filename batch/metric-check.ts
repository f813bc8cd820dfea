/**
 * Checking a metric expression against the base scenario before any run: it parses, every path
 * names a number of the run summary, every selector names a kind of agent or a template, every
 * path under an aggregate a number of that kind's summary. Problems carry their offset in the text.
 */
import type { Scenario } from '../scenarios/schema';
import { didYouMean } from '../scenarios/suggest';
import { templatesOf } from '../scenarios/templates';
import { ExpressionError, parseMetric, type ExpressionProblem } from './expression';
import { AGENT_METRICS, agentPathProblem, metricPathProblem } from './summary-layout';

export function metricProblems(text: string, s: Scenario): ExpressionProblem[] {
  let expr;
  try {
    expr = parseMetric(text);
  } catch (e) {
    if (e instanceof ExpressionError) return [{ offset: e.offset, message: e.message }];
    throw e;
  }
  const out: ExpressionProblem[] = [];
  for (const p of expr.paths) {
    const why = metricPathProblem(p.path, s);
    // A name with a `-` that is not an id: most likely a subtraction written without spaces.
    if (why !== undefined) out.push({ offset: p.offset, message: `${why}${/names no \w+ '[^']*-[^']*'/.test(why) ? ' (to subtract, put spaces around the -)' : ''}` });
  }
  const templates = templatesOf(s);
  for (const a of expr.aggregates) {
    const { by, name, offset } = a.selector;
    let kind: string | undefined;
    if (by === 'kind') {
      if (!Object.hasOwn(AGENT_METRICS, name)) out.push({ offset, message: `'kind:${name}' names no kind of agent${didYouMean(name, Object.keys(AGENT_METRICS))}; kinds: ${Object.keys(AGENT_METRICS).join(', ')}` });
      else kind = name;
    } else {
      const t = templates[name];
      if (t === undefined) out.push({ offset, message: `'template:${name}' names no agent template (an agent with a count)${didYouMean(name, Object.keys(templates))}; templates: ${Object.keys(templates).join(', ') || 'none'}` });
      else kind = t.kind;
    }
    if (kind !== undefined && a.path !== undefined) {
      const why = agentPathProblem(a.path.path, kind, s);
      if (why !== undefined) out.push({ offset: a.path.offset, message: why });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
