/**
 * Problems with the file as a whole: YAML syntax, empty files, a top level that is not a map.
 */
import { BASE, type ErrorCase, describeErrorCases, edit } from './helpers';

const cases: ErrorCase[] = [
  {
    name: "yaml syntax",
    text: edit('blocks: 10', 'blocks: [10'),
    expect: [
      "s.yaml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
  },
  {
    name: "duplicate key",
    text: edit('blocks: 10', 'blocks: 10\nblocks: 20'),
    expect: [
      "s.yaml:3:1: YAML syntax error: Map keys must be unique",
    ],
  },
  {
    name: "top-level list",
    text: '- name: x\n- blocks: 1\n',
    expect: [
      "s.yaml:1:1: the top level must be a map of fields (name, chain, market, …), found a list",
    ],
  },
  {
    name: "top-level scalar",
    text: 'just a string\n',
    expect: [
      "s.yaml:1:1: the top level must be a map of fields (name, chain, market, …), found the value 'just a string'",
    ],
  },
  {
    name: "empty",
    text: '',
    expect: [
      "s.yaml:1:1: the file is empty; a scenario needs at least name, blocks or duration, chain, market and tokens",
    ],
  },
  {
    name: "comments only",
    text: '# nothing here\n\n',
    expect: [
      "s.yaml:1:1: the file holds only comments; a scenario needs at least name, blocks or duration, chain, market and tokens",
    ],
  },
  {
    // "Billion laughs": each anchor repeats the one before nine times, 9^5 copies in all. The yaml
    // library refuses to expand it (a ReferenceError, not a syntax error): it is reported at the
    // first alias, not thrown.
    name: "alias bomb",
    text: `${BASE}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    expect: [
      "s.yaml:13:8: YAML aliases: its aliases (*name) expand to too many copies of their anchors (more than 100); write the values out or use fewer aliases",
    ],
  },
  {
    name: "alias without its anchor",
    text: edit('blocks: 10', 'blocks: *ten'),
    expect: [
      "s.yaml:2:9: YAML aliases: Unresolved alias (the anchor must be set before the alias): ten",
    ],
  },
  {
    // A byte-order mark is not a character of line 1: the column is that of the value.
    name: "byte-order mark",
    text: `\uFEFF${edit('name: base', 'name: Base')}`,
    expect: [
      "s.yaml:1:7: name: found 'Base', must be lower-case letters, digits and '-' (e.g. l2-default)",
    ],
  },
];

describeErrorCases('file errors', cases);
