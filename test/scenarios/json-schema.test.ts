/** The exported JSON Schema accepts the files the loader accepts, and describes fields for editors. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema } from '../../scenarios';
import { BASE, edit, FIXTURES } from './helpers';

const schema = scenarioJsonSchema();
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const read = (file: string): unknown => parse(readFileSync(file, 'utf8'));

describe('the JSON Schema of scenario files', () => {
  it('is draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('hedgesim scenario');
  });

  it('validates valid scenarios', () => {
    for (const data of [parse(BASE), read(join(FIXTURES, '..', '..', '..', 'scenarios', 'library', 'minimal.yaml')), read(join(FIXTURES, 'full.yaml')), read(join(FIXTURES, 'hedgers.yaml'))]) {
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('rejects unknown fields, bad enum values, wrong types and out-of-range numbers', () => {
    const rejects = (text: string) => {
      expect(validate(parse(text))).toBe(false);
      return validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`);
    };
    expect(rejects(edit('blocks: 10', 'blocks: 10\nseeds: 1'))).toContain(' additionalProperties');
    expect(rejects(edit('nativeToken: ETH }', 'nativeToken: ETH, ordering: fifo }'))).toContain('/chain/ordering enum');
    expect(rejects(edit('blocks: 10', 'blocks: ten'))).toContain('/blocks type');
    expect(rejects(edit('feeBps: 30', 'feeBps: 10000'))).toContain('/venues/pool/feeBps exclusiveMaximum');
  });

  it('carries descriptions with units and the defaults', () => {
    const chain = (schema.properties as Record<string, { properties: Record<string, { default?: unknown; description?: string }> }>).chain!;
    expect(chain.properties.gasLimit).toMatchObject({ default: 30_000_000, description: 'Gas limit per block. Default 30000000.' });
    expect(chain.properties.blockTime!.description).toMatch(/^Seconds between blocks/);
    expect(JSON.stringify(schema)).toContain('"description":"Default priority fee of its transactions, gwei per gas. Default 0."');
  });
});
