/** placeholder, filled in below */
import type { Scenario } from './schema';
export interface Template { id: string; kind: string; count: number; ids: string[] }
const registry = new WeakMap<object, Record<string, Template>>();
export function templatesOf(s: Scenario): Record<string, Template> {
  return registry.get(s) ?? {};
}
