import { extname } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { CliError } from '../cli-error.js';
import { FileError, type FilePosition } from './file-error.js';

/** A key path into the document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** A parsed pipeline file: its plain value, and where each of its nodes is. */
export interface ParsedDocument {
  readonly value: unknown;
  /** Where the value at `path` starts (or its key, with `key`); the nearest existing parent when it is missing. */
  at(path: DocPath, key?: boolean): FilePosition;
}

const FORMATS: Record<string, 'yaml' | 'json'> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json' };

/**
 * Parses YAML or JSON (chosen by the extension) with a LineCounter, so that every later check
 * can point at the line and column of the node it refuses.
 */
export function parseDocumentText(file: string, text: string): ParsedDocument {
  const format = FORMATS[extname(file).toLowerCase()];
  if (format === undefined) throw new CliError(`${file}: unknown file type, expected a .yaml, .yml or .json file`);
  const lines = new LineCounter();
  // JSON is YAML 1.2; parsing both with `yaml` gives JSON files the same positions.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): FilePosition => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw new FileError(file, pos(syntax.pos[0]), `${syntax.message.split('\n')[0]}, expected valid ${format.toUpperCase()}`);
  }
  return {
    value: doc.toJS() as unknown,
    at: (path, key = false) => pos(offsetOf(doc, path, key)),
  };
}

function offsetOf(doc: Document, path: DocPath, key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      if (pair === undefined) return offset;
      if (last && key) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
      offset = rangeStart(node) ?? offset;
    } else return offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}
