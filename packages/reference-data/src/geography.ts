/**
 * Loads the real geography of West Yorkshire & Harrogate from the shared reference data folder:
 * LSOA boundaries, IMD 2019, mid-2015 populations, GP practices and PCNs, and derives neighbourhoods.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ICS_NAME,
  InputError,
  Lad,
  Lsoa,
  UserError,
  placeOfLad,
  type Geography,
  type LadCode,
  type LocalAuthority,
  type LsoaArea,
  type LsoaCode,
} from '@openphm/core';
import { buildAdjacency } from './adjacency.js';
import { LSOA_BOUNDARIES_FILE, parseLsoaBoundaries, polygonCentroid } from './boundaries.js';
import { DOMAINS_FILE, IMD_FILE, POPULATION_FILE, parseHealthDeprivationCsv, parseImdCsv, parsePopulationCsv, quintileOfDecile } from './imd.js';
import { deriveNeighbourhoods, type DerivedNeighbourhoods } from './neighbourhoods.js';
import {
  PCN_IMD_FILE,
  PRACTICE_IMD_FILE,
  PRACTICE_TO_PCN_FILE,
  parsePcnImdCsv,
  parsePracticeImdCsv,
  parsePracticeToPcnCsv,
  selectPracticesAndPcns,
  type ExcludedPractice,
} from './practices.js';

/** The files read, relative to the shared data folder. */
export const SOURCE_FILES = {
  imd: `deprivation/${IMD_FILE}`,
  domains: `deprivation/${DOMAINS_FILE}`,
  population: `deprivation/${POPULATION_FILE}`,
  boundaries: `geography/${LSOA_BOUNDARIES_FILE}`,
  practiceToPcn: `geography/${PRACTICE_TO_PCN_FILE}`,
  practiceImd: `geography/${PRACTICE_IMD_FILE}`,
  pcnImd: `geography/${PCN_IMD_FILE}`,
} as const;

export type SourceTexts = Record<keyof typeof SOURCE_FILES, string>;

const HOW_TO_SET = 'Set PHM_SHARED_DATA to the folder that holds deprivation/ and geography/ (see docs/geography.md).';

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * The shared reference data folder: PHM_SHARED_DATA if set, else `<repo>/../shared/data`, where
 * `<repo>` is the nearest folder above this module whose package.json is named "openphm".
 * Throws a UserError (not-found) saying where it looked.
 */
export const resolveSharedDataDir = (env: Record<string, string | undefined> = process.env): string => {
  const fromEnv = env.PHM_SHARED_DATA?.trim();
  if (fromEnv) {
    const dir = resolve(fromEnv);
    if (!isDirectory(dir)) throw new UserError(`PHM_SHARED_DATA is set to '${fromEnv}', but ${dir} is not a folder. ${HOW_TO_SET}`, 'not-found');
    return dir;
  }
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let name: unknown;
      try {
        name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      } catch {
        name = undefined;
      }
      if (name === 'openphm') {
        const data = resolve(dir, '..', 'shared', 'data');
        if (isDirectory(data)) return data;
        throw new UserError(`The shared reference data was not found at ${data} (next to the project folder ${dir}). ${HOW_TO_SET}`, 'not-found');
      }
    }
    if (dirname(dir) === dir) break;
  }
  throw new UserError(
    `The shared reference data was not found: no project folder (package.json named "openphm") above ${start}, so ../shared/data could not be located. ${HOW_TO_SET}`,
    'not-found',
  );
};

/** Reads the source files of a data folder (UserError not-found naming any missing file). */
export const readSources = async (dataDir: string): Promise<SourceTexts> => {
  // Report the first missing file in a fixed order (not whichever read happens to fail first).
  for (const relative of Object.values(SOURCE_FILES)) {
    const path = join(dataDir, relative);
    if (!existsSync(path)) throw new UserError(`Reference data file not found: ${path}. ${HOW_TO_SET}`, 'not-found');
  }
  const entries = await Promise.all(
    Object.entries(SOURCE_FILES).map(async ([key, relative]) => {
      const path = join(dataDir, relative);
      try {
        return [key, await readFile(path, 'utf8')] as const;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new UserError(`Reference data file not found: ${path}. ${HOW_TO_SET}`, 'not-found', { cause: error });
        }
        throw error;
      }
    }),
  );
  return Object.fromEntries(entries) as SourceTexts;
};

export interface GeographyBuild {
  readonly geography: Geography;
  /** What the build had to work around, for docs/geography.md and the report. */
  readonly notes: {
    readonly excludedPractices: readonly ExcludedPractice[];
    readonly islandLinks: DerivedNeighbourhoods['islandLinks'];
    readonly placesOutsideSizeRange: DerivedNeighbourhoods['placesOutsideSizeRange'];
  };
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/** Builds the geography from the texts of the source files (pure: no I/O). Arrays sorted by code / id. */
export const buildGeography = (sources: SourceTexts): GeographyBuild => {
  const boundaries = parseLsoaBoundaries(sources.boundaries, SOURCE_FILES.boundaries);
  const imd = parseImdCsv(sources.imd, SOURCE_FILES.imd);
  const health = parseHealthDeprivationCsv(sources.domains, SOURCE_FILES.domains);
  const population = parsePopulationCsv(sources.population, SOURCE_FILES.population);

  const localAuthorities = new Map<string, LocalAuthority>();
  const seen = new Set<string>();
  const drafts = boundaries.map((b, index) => {
    const at = (field: string, problem: string) => new InputError({ file: SOURCE_FILES.boundaries, line: index + 1, field }, `feature ${index + 1}: ${problem}`);
    if (!Lsoa.is(b.code)) throw at('LSOA11CD', `'${b.code}' is not an LSOA 2011 code`);
    if (seen.has(b.code)) throw at('LSOA11CD', `duplicate LSOA ${b.code}`);
    seen.add(b.code);
    if (!Lad.is(b.ladCode)) throw at('LAD13CD', `'${b.ladCode}' is not a local authority code`);
    const place = placeOfLad(b.ladCode);
    if (place === undefined) throw at('LAD13CD', `local authority ${b.ladCode} (${b.ladName}) is not in any place of the partnership`);
    if (!localAuthorities.has(b.ladCode)) localAuthorities.set(b.ladCode, { code: b.ladCode as LadCode, name: b.ladName, place });
    const row = <T>(rows: ReadonlyMap<string, T>, file: string): T => {
      const found = rows.get(b.code);
      if (found === undefined) throw new InputError({ file, field: 'LSOA code (2011)' }, `no row for LSOA ${b.code} (${b.name})`);
      return found;
    };
    const imdRow = row(imd, SOURCE_FILES.imd);
    const healthRank = row(health, SOURCE_FILES.domains);
    const pop = row(population, SOURCE_FILES.population);
    const c = polygonCentroid(b.polygons);
    return {
      code: b.code as LsoaCode,
      name: b.name,
      ladCode: b.ladCode as LadCode,
      ladName: b.ladName,
      place,
      imdRank: imdRow.rank,
      imdDecile: imdRow.decile,
      imdQuintile: quintileOfDecile(imdRow.decile),
      healthDeprivationRank: healthRank,
      population: pop,
      centroid: [c[0], c[1]] as const,
    };
  });

  const links = parsePracticeToPcnCsv(sources.practiceToPcn, SOURCE_FILES.practiceToPcn);
  const practiceImd = parsePracticeImdCsv(sources.practiceImd, SOURCE_FILES.practiceImd);
  const pcnImd = parsePcnImdCsv(sources.pcnImd, SOURCE_FILES.pcnImd);
  const { practices, pcns, excluded } = selectPracticesAndPcns(links, practiceImd, pcnImd);

  const adjacency = buildAdjacency(boundaries);
  const derived = deriveNeighbourhoods(
    drafts.map((d) => ({ code: d.code, place: d.place, population: d.population.total, imdRank: d.imdRank, centroid: d.centroid })),
    adjacency,
    pcns,
  );
  const lsoas: LsoaArea[] = drafts
    .map((d) => ({ ...d, neighbourhoodId: derived.neighbourhoodOf.get(d.code)! }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));

  const geography: Geography = {
    icsName: ICS_NAME,
    localAuthorities: [...localAuthorities.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
    lsoas,
    neighbourhoods: derived.neighbourhoods,
    practices,
    pcns,
  };
  return {
    geography: deepFreeze(geography),
    notes: deepFreeze({ excludedPractices: excluded, islandLinks: derived.islandLinks, placesOutsideSizeRange: derived.placesOutsideSizeRange }),
  };
};

const memo = new Map<string, Promise<GeographyBuild>>();

/** Loads and builds the geography with its notes; memoised per data folder unless `cache: false`. */
export const loadGeographyBuild = (dataDir?: string, options: { cache?: boolean } = {}): Promise<GeographyBuild> => {
  const dir = resolve(dataDir ?? resolveSharedDataDir());
  const cached = options.cache === false ? undefined : memo.get(dir);
  if (cached !== undefined) return cached;
  const promise = readSources(dir).then(buildGeography);
  if (options.cache !== false) {
    memo.set(dir, promise);
    promise.catch(() => memo.delete(dir));
  }
  return promise;
};

/**
 * The geography of West Yorkshire & Harrogate from `dataDir` (default: resolveSharedDataDir()).
 * Deterministic: the same files always give the same (deeply frozen) result, arrays sorted by
 * code or id. Memoised per folder; pass `{ cache: false }` to rebuild.
 */
export const loadGeography = async (dataDir?: string, options: { cache?: boolean } = {}): Promise<Geography> =>
  (await loadGeographyBuild(dataDir, options)).geography;
