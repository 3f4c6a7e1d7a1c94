import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Response } from 'supertest';

// ajv-formats is CommonJS: its default export arrives as the module object under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * An OpenAPI 3.0 schema as JSON Schema 2020-12: `nullable: true` becomes "or null", `$ref`s point into `$defs`, and
 * every object that lists its properties refuses others (a field the server sends must be documented).
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, example, examples, discriminator, xml, externalDocs, readOnly, writeOnly, deprecated, ...rest } = schema as Json;
  void example;
  void examples;
  void discriminator;
  void xml;
  void externalDocs;
  void readOnly;
  void writeOnly;
  void deprecated;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', '#/$defs/');
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]));
    else if (key === 'enum' || key === 'required' || key === 'default') out[key] = value;
    else out[key] = toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) out.additionalProperties = false;
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  params: number;
  op: Json;
}

/** Validates real responses against the operation's documented response for that status. */
export class OpenApiContract {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ReturnType<Ajv2020['compile']>>();
  /** "METHOD template status" of every response checked. */
  readonly seen = new Set<string>();

  constructor(private readonly doc: Json) {
    for (const [template, item] of Object.entries(doc.paths as Json)) {
      for (const method of METHODS) {
        const op = (item as Json)[method];
        if (!op) continue;
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${source}$`),
          params: (template.match(/\{/g) ?? []).length,
          op,
        });
      }
    }
    this.defs = Object.fromEntries(Object.entries((doc.components?.schemas ?? {}) as Json).map(([k, v]) => [k, toJsonSchema(v)]));
  }

  private readonly defs: Json;

  /** The operation a request went to (a literal segment wins over a parameter: /users/me over /users/{id}). */
  operationFor(method: string, path: string): Operation {
    const pathname = path.split('?')[0];
    const candidates = this.operations.filter((o) => o.method === method && o.regex.test(pathname)).sort((a, b) => a.params - b.params);
    if (!candidates[0]) throw new Error(`${method} ${pathname} is not in the OpenAPI document`);
    return candidates[0];
  }

  /** Every mismatch seen by check(), to assert empty at the end (one run lists them all). */
  readonly problems: string[] = [];

  /** Records a problem unless the response's status, content type, headers and body are what the document says. */
  check(res: Response): Response {
    try {
      return this.strictCheck(res);
    } catch (error) {
      this.problems.push((error as Error).message);
      return res;
    }
  }

  /** Throws unless the response's status, content type, headers and body are what the document says. */
  strictCheck(res: Response): Response {
    const req = (res as unknown as { req: { method: string; path: string } }).req;
    const { template, op } = this.operationFor(req.method, req.path);
    const where = `${req.method} ${template} → ${res.status}`;
    const responses = op.responses as Json;
    const documented = responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
    if (!documented)
      throw new Error(`${where} is not documented (documented: ${Object.keys(responses).join(', ')}); body ${JSON.stringify(res.body)}`);
    this.seen.add(`${req.method} ${template} ${res.status}`);
    for (const name of Object.keys((documented.headers ?? {}) as Json)) {
      if (name.toLowerCase() === 'retry-after' && res.headers['retry-after'] === undefined)
        throw new Error(`${where}: Retry-After header missing`);
    }
    const content = documented.content as Json | undefined;
    const bodyText = res.text ?? '';
    if (!content || Object.keys(content).length === 0) {
      if (res.status !== 204 && bodyText.length > 0 && res.type === 'application/json') {
        throw new Error(`${where}: documents no body but got ${res.type}: ${bodyText.slice(0, 200)}`);
      }
      return res;
    }
    const mediaType = Object.keys(content).find((type) => type === res.type);
    if (!mediaType) throw new Error(`${where}: content type ${res.type} is not documented (${Object.keys(content).join(', ')})`);
    const schema = content[mediaType].schema;
    if (mediaType !== 'application/json' || !schema) return res;
    const key = `${template} ${req.method} ${res.status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile({ ...(toJsonSchema(schema) as Json), $defs: this.defs });
      this.validators.set(key, validate);
    }
    if (!validate(res.body)) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n  ');
      throw new Error(
        `${where}: the body does not match the documented schema:\n  ${errors}\nbody: ${JSON.stringify(res.body).slice(0, 2000)}`,
      );
    }
    return res;
  }
}
