import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../test-support.js';
import { discoverFhirFiles, readFhirFile, typeOfFileName, type FhirFile, type ReadItem } from './read.js';

let root: string;
beforeAll(() => {
  root = makeTempDir();
});
afterAll(() => removeDir(root));

const readAll = async (name: string, text: string): Promise<ReadItem[]> => {
  const path = join(root, name);
  writeFileSync(path, text);
  const { files } = await discoverFhirFiles(path);
  const items: ReadItem[] = [];
  for await (const item of readFhirFile(files[0] as FhirFile)) items.push(item);
  return items;
};

const summary = (items: ReadItem[]) =>
  items.map((i) =>
    i.kind === 'resource'
      ? `${i.location.line}${i.location.entry !== undefined ? `#${i.location.entry}` : ''} ${String(i.resource.resourceType)}/${String(i.resource.id)}${i.fullUrl ? ` ${i.fullUrl}` : ''}`
      : i.kind === 'problem'
        ? `${i.problem.location.line} ${i.problem.path}: ${i.problem.problem}`
        : `${i.location.line} no resource`,
  );

describe('typeOfFileName', () => {
  it.each([
    ['Patient.ndjson', 'Patient'],
    ['Observation.000.ndjson', 'Observation'],
    ['1.MedicationRequest.ndjson', 'MedicationRequest'],
    ['export/Condition-2.ndjson', 'Condition'],
    ['data.ndjson', undefined],
    ['part_001.ndjson', undefined],
  ])('%s → %s', (name, type) => expect(typeOfFileName(name)).toBe(type));
});

describe('reading Bundles', () => {
  it('hands over each entry with its line and fullUrl, whatever the layout, strings with brackets and quotes included', async () => {
    const text = [
      '{"resourceType":"Bundle","type":"searchset","total":2,"link":[{"relation":"self","url":"x?a=[1]"}],',
      '"entry":[',
      '  {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Patient","id":"a","name":[{"text":"O\'Brien \\"[}{]\\""}]}},',
      '  {"search":{"mode":"outcome"},"resource":{"resourceType":"OperationOutcome","id":"oo"}},',
      '  {"request":{"method":"DELETE","url":"Patient/z"}}',
      '],"meta":{"lastUpdated":"2024-01-01"}}',
    ].join('\n');
    expect(summary(await readAll('search.json', text))).toEqual(['3#0 Patient/a urn:uuid:a', '4#1 OperationOutcome/oo', '5 no resource']);
  });

  it('checks the Bundle type even when it follows the entries', async () => {
    const text = '{"entry":[{"resource":{"resourceType":"Patient","id":"a"}}],"resourceType":"Bundle","type":"history"}';
    expect(summary(await readAll('late.json', text)).at(-1)).toBe('1 Bundle.type: is "history": the import reads transaction, batch, collection, searchset, document Bundles');
  });

  it.each([
    ['an entry that is not JSON', '{"resourceType":"Bundle","type":"collection","entry":[\n{"resource":{"resourceType":"Patient",\n"id":}}]}', "3 Bundle.entry[0]: malformed JSON: Unexpected token '}'"],
    ['a truncated file', '{"resourceType":"Bundle","type":"collection","entry":[\n{"resource":{"resourceType":"Patient","id":"a"}},\n{"resou', '3 (file): malformed JSON: the file ends inside the Bundle (truncated?)'],
    ['an entry that is not an object', '{"resourceType":"Bundle","type":"collection","entry":[1]}', '1 (file): malformed JSON: Bundle.entry[0] is not a JSON object (found "1")'],
    ['text that is not JSON', 'hello', '1 (file): malformed JSON: the file does not start with a JSON object (found "h")'],
    ['a Bundle inside a Bundle', '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle","id":"b"}}]}', '1 Bundle.entry[0].resource: is a Bundle inside a Bundle: put each Bundle in a file of its own'],
    ['mismatched brackets', '{"resourceType":"Bundle","entry":[{"resource":{"id":"a"]}]}', '1 (file): malformed JSON: unexpected "]" (expected "}")'],
  ])('reports %s with its line', async (_name, text, expected) => {
    const items = summary(await readAll('bad.json', text));
    expect(items.at(-1)!.startsWith(expected), items.at(-1)).toBe(true);
    // Messages name places, never the data (V8 quotes the input in its JSON errors).
    expect(items.at(-1)).not.toContain('is not valid JSON');
  });
});

describe('reading Bulk FHIR NDJSON', () => {
  it('reads line by line, skipping blank lines, and checks each line against the type the file is named after', async () => {
    const text = ['{"resourceType":"Condition","id":"c1"}', '', '{"resourceType":"Observation","id":"o1"}', '{"resourceType":"Condition","id":"c2"', ''].join('\r\n');
    expect(summary(await readAll('Condition.ndjson', text))).toEqual([
      '1 Condition/c1',
      '3 resourceType: is Observation, but the file holds Condition resources (Bulk FHIR files hold one type each, named after it)',
      expect.stringMatching(/^4 \(line\): malformed JSON \(a truncated or broken line\?\): /),
    ]);
  });
});

describe('discoverFhirFiles', () => {
  it('finds *.json and *.ndjson below a folder, sorted, and lists the rest as skipped', async () => {
    const dir = join(root, 'export');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    for (const name of ['b.json', 'Patient.ndjson', 'README.md', 'sub/Condition.ndjson']) writeFileSync(join(dir, name), '');
    const { files, skipped } = await discoverFhirFiles(dir);
    expect(files.map((f) => [f.name, f.format, f.type])).toEqual([
      ['Patient.ndjson', 'ndjson', 'Patient'],
      ['b.json', 'bundle', undefined],
      ['sub/Condition.ndjson', 'ndjson', 'Condition'],
    ]);
    expect(skipped).toEqual(['README.md']);
  });

  it('says what it expected when the path holds no FHIR file', async () => {
    await expect(discoverFhirFiles(join(root, 'nowhere'))).rejects.toThrow(/no such file or folder/);
  });
});
