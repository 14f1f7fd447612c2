/**
 * Label and field selectors with the API server's grammar
 * (k8s.io/apimachinery/pkg/labels and pkg/fields): comma-separated
 * requirements that must all hold.
 */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** A selector that does not parse; the server answers 400 BadRequest with `message`. */
export class SelectorError extends Error {}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside a `( ... )` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current.trim());
  return terms.filter((term) => term !== '');
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value)) throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${selector}"`);
  return value;
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTerms(selector).map((term): LabelRequirement => {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? '').split(',').map((v) => checkValue(v.trim(), selector));
      return { key: checkKey(set[1] ?? '', selector), op: set[2] === 'in' ? 'in' : 'notin', values };
    }
    const cmp = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (cmp) {
      return {
        key: checkKey(cmp[1] ?? '', selector),
        op: cmp[2] === '!=' ? 'neq' : 'eq',
        value: checkValue((cmp[3] ?? '').trim(), selector),
      };
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), selector), op: 'notexists' };
    return { key: checkKey(term, selector), op: 'exists' };
  });
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const own = labels ?? {};
  return requirements.every((req) => {
    const has = Object.hasOwn(own, req.key);
    const value = own[req.key];
    switch (req.op) {
      case 'eq':
        return has && value === req.value;
      case 'neq':
        // As in apimachinery: a missing label satisfies `!=`.
        return !has || value !== req.value;
      case 'in':
        return has && req.values.includes(value ?? '');
      case 'notin':
        return !has || !req.values.includes(value ?? '');
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

/** Fields every resource supports; the real server rejects any other field with 400. */
const FIELDS = ['metadata.name', 'metadata.namespace'];

export function parseFieldSelector(selector: string): FieldRequirement[] {
  return splitTerms(selector).map((term) => {
    const cmp = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!cmp) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = cmp[1] ?? '';
    if (!FIELDS.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, op: cmp[2] === '!=' ? 'neq' : 'eq', value: (cmp[3] ?? '').trim() };
  });
}

export function matchesFields(
  requirements: FieldRequirement[],
  metadata: { name?: string; namespace?: string },
): boolean {
  return requirements.every((req) => {
    const actual = (req.field === 'metadata.name' ? metadata.name : metadata.namespace) ?? '';
    return req.op === 'eq' ? actual === req.value : actual !== req.value;
  });
}
