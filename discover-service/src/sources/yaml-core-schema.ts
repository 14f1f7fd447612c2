import jsyaml from 'js-yaml';

/*
 * js-yaml parses a manifest ~10x faster than `yaml`, which stays the reference parser (errors, anchors,
 * directives). For both to give the same objects, plain scalars must resolve as `yaml` resolves them
 * (YAML 1.2 core schema): js-yaml's own schemas also read timestamps, `0b`/`1_000` numbers and `<<`.
 */

const INT_DEC = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || /^(?:~|[Nn]ull|NULL)?$/.test(data),
  construct: () => null,
});

const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});

const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (INT_DEC.test(data) || INT_OCT.test(data) || INT_HEX.test(data)),
  construct: (data: string) => (INT_DEC.test(data) ? parseInt(data, 10) : parseInt(data.slice(2), INT_OCT.test(data) ? 8 : 16)),
});

const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (FLOAT_SPECIAL.test(data) || FLOAT_EXP.test(data) || FLOAT.test(data)),
  construct: (data: string) => {
    if (!FLOAT_SPECIAL.test(data)) return parseFloat(data);
    if (data.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    return data[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  },
});

/** The YAML 1.2 core schema exactly as `yaml` (2.x, default options) resolves plain scalars. */
export const YAML_CORE_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });

/**
 * Loads one YAML document with js-yaml under {@link YAML_CORE_SCHEMA}. Throws on anything js-yaml
 * refuses (syntax errors, several documents, unknown tags); callers then ask the reference parser.
 */
export function loadCoreYaml(text: string): unknown {
  return jsyaml.load(text, { schema: YAML_CORE_SCHEMA });
}
