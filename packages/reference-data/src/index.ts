/** @openphm/reference-data: the real geography of West Yorkshire & Harrogate, loaded from the shared reference data. */
export { loadGeography, loadGeographyBuild, buildGeography, readSources, resolveSharedDataDir, SOURCE_FILES } from './geography.js';
export type { GeographyBuild, SourceTexts } from './geography.js';
export { parseCsv, readCsvTable, columnIndex, columnReader, parseNumber } from './csv.js';
export type { CsvRow, CsvTable } from './csv.js';
export { parseImdCsv, parseHealthDeprivationCsv, parsePopulationCsv, quintileOfDecile, IMD_LSOA_COUNT } from './imd.js';
export type { ImdRow } from './imd.js';
export { parseLsoaBoundaries, polygonCentroid } from './boundaries.js';
export type { LsoaBoundary, PolygonRings, Position } from './boundaries.js';
export { buildAdjacency, connectedComponents, connectIslands, isConnected, projectToKm } from './adjacency.js';
export type { Adjacency, AdjacencyOptions, AreaShape, IslandLink } from './adjacency.js';
export { partitionNeighbourhoods } from './partition.js';
export type { PartitionArea, PartitionOptions } from './partition.js';
export {
  parsePracticeToPcnCsv,
  parsePracticeImdCsv,
  parsePcnImdCsv,
  nationalDeciles,
  selectPracticesAndPcns,
  PCN_POSTCODE_FILTERS,
} from './practices.js';
export type { PracticePcnLink, OrganisationImd, ExcludedPractice, PracticesAndPcns } from './practices.js';
export { deriveNeighbourhoods, pairWithPcns, meanImdRank, practicesByNeighbourhood, NEIGHBOURHOOD_SIZE } from './neighbourhoods.js';
export type { DerivedNeighbourhoods, NeighbourhoodLsoa } from './neighbourhoods.js';
export { renderNeighbourhoodTables, replaceGeneratedSection } from './report.js';
export { buildIdentityReference, loadIdentityReference, postcodesOfLsoa, IDENTITY_FILES } from './identity.js';
export type { IdentityReference, IdentityTexts, NameYear, SurnameSource } from './identity.js';
export { loadPostcodeLookup, parsePostcodeLookup, POSTCODE_ATTRIBUTION } from './postcodes.js';
export type { PostcodeArea, PostcodeLookup } from './postcodes.js';
