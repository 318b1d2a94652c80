import type { Executor } from '../../db/client.js';
import type { Actor } from '../../core/actor.js';
import { Invalid } from '../../core/errors.js';
import { type Attribute, attributeDefinitions, checkValues } from './attributes.js';
import { productsBySku, upsertProducts } from './products.js';
import { type ProductInput, ProductInputSchema } from './schema.js';

/** A record of a CSV file and the line it starts on (1 is the header's). */
interface CsvRecord {
  line: number;
  cells: string[];
}

export const MAX_IMPORT_ROWS = 10_000;
const FIELDS = ['sku', 'name', 'description', 'url', 'price', 'currency'] as const;

/**
 * Reads CSV as RFC 4180 says (quoted cells may hold the delimiter, doubled quotes and line
 * breaks), with a comma or, as spreadsheets in many countries write it, a semicolon
 * between cells: whichever the header line has more of.
 */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.replace(/^\uFEFF/, '');
  const headerLine = s.slice(0, s.search(/\r?\n|$/));
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else if (c === '\r' && s[i + 1] === '\n') continue;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      start = ++line;
    } else cell += c;
  }
  if (quoted) throw new Invalid('csv', `line ${start}: a quoted value is not closed`);
  if (cell !== '' || cells.length) records.push({ line: start, cells: [...cells, cell] });
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

export interface RowError {
  line: number;
  column: string;
  reason: string;
}

/** A price as spreadsheets write it: 249, 249.00 or 249,00. */
function priceOf(s: string): number | undefined {
  const t = s.trim().replace(/^(\d+),(\d{1,2})$/, '$1.$2');
  return /^\d+(?:\.\d+)?$/.test(t) && t.length <= 15 ? Number(t) : undefined;
}

/** The columns of the header: a product field, or an attribute by key or label (any case). */
function readHeader(header: CsvRecord, defs: Attribute[]) {
  const errors: RowError[] = [];
  const columns = header.cells.map((raw) => {
    const name = raw.trim();
    const lower = name.toLowerCase();
    const field = FIELDS.find((f) => f === lower);
    const attribute = field ? undefined : defs.find((a) => a.key === lower || a.label.toLowerCase() === lower);
    if (!field && !attribute) errors.push({ line: header.line, column: name || '(empty)', reason: 'is no product field or catalog attribute' });
    return { name, field, attribute };
  });
  const seen = new Set<string>();
  for (const c of columns) {
    const id = c.field ?? c.attribute?.key;
    if (!id) continue;
    if (seen.has(id)) errors.push({ line: header.line, column: c.name, reason: 'appears twice' });
    seen.add(id);
  }
  for (const required of ['sku', 'name'] as const) {
    if (!columns.some((c) => c.field === required)) errors.push({ line: header.line, column: required, reason: 'is missing: every file needs sku and name' });
  }
  return { columns, errors };
}

/**
 * Checks a CSV file of products against the catalog's fields and attributes, row by row:
 * every problem names its line and column. Then, unless `dryRun`, creates or updates the
 * products by SKU in one go, and only when no row has a problem: nothing half written.
 * An empty cell clears that field or attribute of an existing product.
 */
export async function importProductsCsv(tx: Executor, actor: Actor, csv: string, dryRun: boolean) {
  const records = parseCsv(csv);
  if (!records.length) throw new Invalid('csv', 'the file is empty');
  if (records.length - 1 > MAX_IMPORT_ROWS) throw new Invalid('csv', `has ${records.length - 1} rows; at most ${MAX_IMPORT_ROWS} at a time`);
  const defs = await attributeDefinitions(tx, actor.workspaceId);
  const [header, ...rows] = records;
  const { columns, errors } = readHeader(header, defs);
  const inputs: (ProductInput & { line: number })[] = [];
  const lineOfSku = new Map<string, number>();
  if (!errors.length) {
    for (const row of rows) {
      const rowErrors: RowError[] = [];
      if (row.cells.length > columns.length) rowErrors.push({ line: row.line, column: `#${columns.length + 1}`, reason: `has ${row.cells.length} cells; the header has ${columns.length}` });
      const product: { [k: string]: unknown } = {};
      const attributes: { [k: string]: unknown } = {};
      columns.forEach((c, i) => {
        const value = (row.cells[i] ?? '').trim();
        if (c.attribute) attributes[c.attribute.key] = value === '' ? null : value;
        else if (c.field === 'price') {
          const n = priceOf(value);
          if (value !== '' && n === undefined) rowErrors.push({ line: row.line, column: c.name, reason: 'must be a price like 249.00' });
          product.price = value === '' ? null : n;
        } else if (c.field === 'url' || c.field === 'currency') product[c.field] = value === '' ? null : value;
        else if (c.field) product[c.field] = value;
      });
      const parsed = ProductInputSchema.safeParse(product);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? 'sku');
          rowErrors.push({ line: row.line, column: columns.find((c) => c.field === key)?.name ?? key, reason: issue.message });
        }
      }
      const checked = checkValues(defs, attributes);
      for (const e of checked.errors) {
        const key = e.field.replace(/^attributes\./, '');
        rowErrors.push({ line: row.line, column: columns.find((c) => c.attribute?.key === key)?.name ?? key, reason: e.reason });
      }
      if (parsed.success) {
        const first = lineOfSku.get(parsed.data.sku);
        if (first !== undefined) rowErrors.push({ line: row.line, column: columns.find((c) => c.field === 'sku')!.name, reason: `repeats the SKU of line ${first}` });
        else lineOfSku.set(parsed.data.sku, row.line);
      }
      errors.push(...rowErrors);
      if (!rowErrors.length && parsed.success) inputs.push({ ...parsed.data, attributes: checked.values, line: row.line });
    }
  }
  const existing = await productsBySku(tx, actor.workspaceId, inputs.map((p) => p.sku));
  const summary = {
    rows: rows.length,
    create: inputs.filter((p) => !existing.has(p.sku)).length,
    update: inputs.filter((p) => existing.has(p.sku)).length,
    errors: errors.slice(0, 200),
    errorCount: errors.length,
    columns: columns.map((c) => ({ name: c.name, field: c.field ?? null, attribute: c.attribute?.key ?? null })),
    preview: inputs.slice(0, 20).map((p) => ({
      line: p.line,
      action: existing.has(p.sku) ? ('update' as const) : ('create' as const),
      sku: p.sku,
      name: p.name,
      price: p.price ?? null,
      currency: p.currency ?? null,
      attributes: p.attributes ?? {},
    })),
    imported: false,
  };
  if (dryRun) return summary;
  if (errors.length) throw new Invalid(errors.slice(0, 50).map((e) => ({ field: 'csv', reason: `line ${e.line}, column ${e.column}: ${e.reason}` })));
  await upsertProducts(
    tx,
    actor,
    inputs.map(({ line: _line, ...p }) => p),
    { prefix: 'csv', audit: 'product.import' },
  );
  return { ...summary, imported: true };
}
