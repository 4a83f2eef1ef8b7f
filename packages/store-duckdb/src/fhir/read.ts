/**
 * Reading FHIR R4 files as a stream of resources with where each was read (file, line, bundle
 * entry), never holding a whole file in memory:
 * - Bulk FHIR NDJSON (`*.ndjson`, one resource per line, as `$export` writes them): line by line.
 *   A file named after a resource type (`Patient.ndjson`, `Observation.000.ndjson`,
 *   `1.Condition.ndjson`) must hold only that type.
 * - JSON Bundles (`*.json`: transaction, batch, collection, searchset, document): a small streaming
 *   scanner walks the bundle's text and hands over one `entry` at a time, so a bundle larger than
 *   memory is read too; each entry is parsed on its own (an entry must fit in memory, as any
 *   resource must).
 * Malformed JSON is reported with the file and line (and, in a bundle, the entry).
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { UserError, isResourceTypeName, type FhirJson, type FhirLocation } from '@openphm/core';

export interface FhirFile {
  readonly path: string;
  /** Relative to the path given (forward slashes), for messages. */
  readonly name: string;
  readonly format: 'ndjson' | 'bundle';
  readonly bytes: number;
  /** For NDJSON: the resource type the file's name gives, when it gives one. */
  readonly type?: string;
}

/** A problem reading a file, before any resource is mapped. */
export interface ReadProblem {
  readonly location: FhirLocation;
  readonly resourceId?: string;
  readonly path: string;
  readonly problem: string;
}

export type ReadItem =
  | { readonly kind: 'resource'; readonly resource: FhirJson; readonly location: FhirLocation; readonly fullUrl?: string }
  | { readonly kind: 'problem'; readonly problem: ReadProblem }
  /** A bundle entry without a resource (a DELETE in a transaction, or a searchset outcome left out). */
  | { readonly kind: 'no-resource'; readonly location: FhirLocation; readonly request?: { readonly method: string; readonly url: string } };

/** Bundle types read: those whose entries are resources to load. */
export const BUNDLE_TYPES = ['transaction', 'batch', 'collection', 'searchset', 'document'] as const;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The resource type a Bulk FHIR file's name gives: the first dot-, dash- or underscore-separated part that is a type name. */
export const typeOfFileName = (name: string): string | undefined =>
  basename(name)
    .replace(/\.ndjson$/i, '')
    .split(/[._-]/)
    .find((part) => isResourceTypeName(part) && part !== 'Bundle' && /^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(part));

/** The FHIR files at a path: the file itself, or every `*.json` and `*.ndjson` below a folder (sorted by path); other files are listed as skipped. */
export const discoverFhirFiles = async (path: string): Promise<{ files: FhirFile[]; skipped: string[] }> => {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UserError(`${path}: no such file or folder (expected FHIR Bundles, *.json, or Bulk FHIR NDJSON, *.ndjson)`, 'not-found');
  }
  const files: FhirFile[] = [];
  const skipped: string[] = [];
  const add = async (full: string, name: string) => {
    const lower = full.toLowerCase();
    const bytes = (await stat(full)).size;
    if (lower.endsWith('.ndjson')) {
      const type = typeOfFileName(name);
      files.push({ path: full, name, format: 'ndjson', bytes, ...(type !== undefined ? { type } : {}) });
    } else if (lower.endsWith('.json')) files.push({ path: full, name, format: 'bundle', bytes });
    else skipped.push(name);
  };
  if (info.isFile()) {
    await add(path, basename(path));
    if (files.length === 0) throw new UserError(`${path}: not a FHIR file (expected a Bundle, *.json, or Bulk FHIR NDJSON, *.ndjson)`, 'usage');
    return { files, skipped };
  }
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => byName(a.name, b.name));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) await add(full, relative(path, full).split('\\').join('/'));
    }
  };
  await walk(path);
  if (files.length === 0) throw new UserError(`${path}: no FHIR files (*.json Bundles or *.ndjson Bulk FHIR files) in this folder`, 'not-found');
  return { files, skipped };
};

/** The line (1-based, within `text` starting at `firstLine`) of a JSON.parse error's position, and the message without it. */
const parseErrorAt = (error: unknown, text: string, firstLine: number): { line: number; message: string } => {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  const offset = position ? Math.min(Number(position[1]), text.length) : text.length;
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  // Without V8's quotation of the input ('..."id":}}" is not valid JSON'): messages name places, never data.
  const cleaned = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
  return { line, message: cleaned };
};

/** Reads an NDJSON file line by line. */
async function* readNdjson(file: FhirFile, onBytes: (bytes: number) => void): AsyncGenerator<ReadItem> {
  const stream = createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      onBytes(Buffer.byteLength(text, 'utf8') + 1);
      if (text.trim() === '') continue;
      const location: FhirLocation = { file: file.name, line };
      let resource: unknown;
      try {
        resource = JSON.parse(text);
      } catch (error) {
        const { message } = parseErrorAt(error, text, line);
        yield { kind: 'problem', problem: { location, path: '(line)', problem: `malformed JSON (a truncated or broken line?): ${message}` } };
        continue;
      }
      const r = resource as FhirJson;
      if (file.type !== undefined && r !== null && typeof r === 'object' && typeof r.resourceType === 'string' && r.resourceType !== file.type) {
        yield {
          kind: 'problem',
          problem: { location, ...(typeof r.id === 'string' ? { resourceId: r.id } : {}), path: 'resourceType', problem: `is ${r.resourceType}, but the file holds ${file.type} resources (Bulk FHIR files hold one type each, named after it)` },
        };
        continue;
      }
      yield { kind: 'resource', resource: r, location };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/**
 * A streaming scanner of one JSON Bundle: hands over the text of each element of the top-level
 * `entry` array with the line it starts on, and keeps the other top-level members (resourceType,
 * type, ...) as text. It checks the structure (brackets, strings) as it goes; each entry's text is
 * then checked by JSON.parse.
 */
class BundleScanner {
  line = 1;
  private depth = 0;
  private readonly brackets: string[] = [];
  private inString = false;
  private escaped = false;
  private expectKey = false;
  private key = '';
  private keyBuffer: string | null = null;
  private value: string | null = null;
  private inEntries = false;
  private entry: string | null = null;
  private entryLine = 0;
  done = false;
  readonly members = new Map<string, string>();
  readonly entries: { text: string; line: number }[] = [];
  error: string | undefined;

  push(chunk: string): void {
    for (let i = 0; i < chunk.length && this.error === undefined; i++) this.char(chunk[i]!);
  }

  private append(c: string): void {
    if (this.entry !== null) this.entry += c;
    else if (this.value !== null) this.value += c;
  }

  private endPrimitive(): void {
    if (this.value !== null && this.depth === 1) {
      this.members.set(this.key, this.value.trim());
      this.value = null;
    }
  }

  private char(c: string): void {
    if (c === '\n') this.line++;
    if (this.inString) {
      this.append(c);
      if (this.keyBuffer !== null && !(c === '"' && !this.escaped)) this.keyBuffer += c;
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        if (this.keyBuffer !== null) {
          this.key = this.keyBuffer;
          this.keyBuffer = null;
        }
      }
      return;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      this.append(c);
      return;
    }
    if (this.done) {
      this.error = `unexpected ${JSON.stringify(c)} after the end of the Bundle`;
      return;
    }
    if (this.depth === 0) {
      if (c !== '{') this.error = `the file does not start with a JSON object (found ${JSON.stringify(c)})`;
      else {
        this.depth = 1;
        this.brackets.push('}');
        this.expectKey = true;
      }
      return;
    }
    if (this.depth === 1) {
      if (this.expectKey) {
        if (c === '"') {
          this.inString = true;
          this.keyBuffer = '';
        } else if (c === ':') this.expectKey = false;
        else if (c === '}') this.close(c);
        else if (c !== ',') this.error = `expected a member name in the Bundle, found ${JSON.stringify(c)}`;
        return;
      }
      if (c === ',') {
        this.endPrimitive();
        this.expectKey = true;
        return;
      }
      if (c === '}') {
        this.endPrimitive();
        this.close(c);
        return;
      }
      if (this.key === 'entry' && c === '[' && this.value === null) {
        this.inEntries = true;
        this.depth = 2;
        this.brackets.push(']');
        return;
      }
      this.value ??= '';
      this.value += c;
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.open(c);
      return;
    }
    if (this.depth === 2 && this.inEntries && this.entry === null) {
      if (c === '{') {
        this.entry = '{';
        this.entryLine = this.line;
        this.open(c);
      } else if (c === ']') this.close(c);
      else if (c !== ',') this.error = `Bundle.entry[${this.entries.length}] is not a JSON object (found ${JSON.stringify(c)})`;
      return;
    }
    this.append(c);
    if (c === '"') this.inString = true;
    else if (c === '{' || c === '[') this.open(c);
    else if (c === '}' || c === ']') this.close(c);
  }

  private open(c: string): void {
    this.depth++;
    this.brackets.push(c === '{' ? '}' : ']');
  }

  private close(c: string): void {
    const expected = this.brackets.pop();
    if (expected !== c) {
      this.error = `unexpected ${JSON.stringify(c)} (expected ${expected === undefined ? 'the end of the file' : JSON.stringify(expected)})`;
      return;
    }
    this.depth--;
    if (this.depth === 2 && this.entry !== null) {
      this.entries.push({ text: this.entry, line: this.entryLine });
      this.entry = null;
    } else if (this.depth === 1 && this.inEntries && c === ']') {
      this.inEntries = false;
      this.members.set('entry', '[]');
    } else if (this.depth === 1 && this.value !== null) {
      this.members.set(this.key, this.value);
      this.value = null;
    } else if (this.depth === 0) this.done = true;
  }
}

const memberValue = (scanner: BundleScanner, name: string): unknown => {
  const text = scanner.members.get(name);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Reads a Bundle entry by entry. */
async function* readBundle(file: FhirFile, onBytes: (bytes: number) => void): AsyncGenerator<ReadItem> {
  const scanner = new BundleScanner();
  const stream = createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let index = 0;
  let checkedHead = false;
  const head = (): ReadItem | undefined => {
    // resourceType and type usually come before the entries; when they come after, they are checked at the end.
    const resourceType = memberValue(scanner, 'resourceType');
    if (resourceType !== undefined && resourceType !== 'Bundle') {
      return { kind: 'problem', problem: { location: { file: file.name, line: 1 }, path: 'resourceType', problem: `is ${JSON.stringify(resourceType)}: a *.json file must hold a Bundle (single resources go in Bulk FHIR *.ndjson files)` } };
    }
    const type = memberValue(scanner, 'type');
    if (type !== undefined && !(BUNDLE_TYPES as readonly unknown[]).includes(type)) {
      return { kind: 'problem', problem: { location: { file: file.name, line: 1 }, path: 'Bundle.type', problem: `is ${JSON.stringify(type)}: the import reads ${BUNDLE_TYPES.join(', ')} Bundles` } };
    }
    return undefined;
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      onBytes(Buffer.byteLength(chunk, 'utf8'));
      scanner.push(chunk);
      if (!checkedHead && scanner.entries.length > 0) {
        checkedHead = true;
        if (scanner.members.has('resourceType') || scanner.members.has('type')) {
          const problem = head();
          if (problem !== undefined) {
            yield problem;
            return;
          }
        }
      }
      for (const { text, line } of scanner.entries.splice(0)) {
        const location: FhirLocation = { file: file.name, line, entry: index };
        const path = `Bundle.entry[${index}]`;
        index++;
        let entry: unknown;
        try {
          entry = JSON.parse(text);
        } catch (error) {
          const at = parseErrorAt(error, text, line);
          yield { kind: 'problem', problem: { location: { ...location, line: at.line }, path, problem: `malformed JSON: ${at.message}` } };
          continue;
        }
        const e = entry as FhirJson;
        const resource = e.resource;
        if (resource === undefined) {
          const request = e.request as FhirJson | undefined;
          yield typeof request?.method === 'string' && typeof request.url === 'string'
            ? { kind: 'no-resource', location, request: { method: request.method, url: request.url } }
            : { kind: 'no-resource', location };
          continue;
        }
        if (resource !== null && typeof resource === 'object' && (resource as FhirJson).resourceType === 'Bundle') {
          yield { kind: 'problem', problem: { location, path: `${path}.resource`, problem: 'is a Bundle inside a Bundle: put each Bundle in a file of its own' } };
          continue;
        }
        yield { kind: 'resource', resource: resource as FhirJson, location, ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}) };
      }
      if (scanner.error !== undefined) break;
    }
  } finally {
    stream.destroy();
  }
  const end: FhirLocation = { file: file.name, line: scanner.line };
  if (scanner.error !== undefined) yield { kind: 'problem', problem: { location: end, path: '(file)', problem: `malformed JSON: ${scanner.error}` } };
  else if (!scanner.done) yield { kind: 'problem', problem: { location: end, path: '(file)', problem: 'malformed JSON: the file ends inside the Bundle (truncated?)' } };
  else {
    const problem = head();
    if (problem !== undefined) yield problem;
    else if (memberValue(scanner, 'resourceType') === undefined) {
      yield { kind: 'problem', problem: { location: { file: file.name, line: 1 }, path: 'resourceType', problem: 'is missing: a *.json file must hold a FHIR Bundle' } };
    }
  }
}

/** The resources of a file, in file order, with problems reading it in their place. */
export const readFhirFile = (file: FhirFile, onBytes: (bytes: number) => void = () => {}): AsyncGenerator<ReadItem> =>
  file.format === 'ndjson' ? readNdjson(file, onBytes) : readBundle(file, onBytes);
