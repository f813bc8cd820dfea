/**
 * Problems with the file as a whole: YAML syntax, empty files, a top level that is not a map.
 */
import { type ErrorCase, describeErrorCases, edit } from './helpers';

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
];

describeErrorCases('file errors', cases);
