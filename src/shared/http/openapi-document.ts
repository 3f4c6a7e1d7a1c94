import type { OpenAPIObject } from '@nestjs/swagger';

/** OpenAPI extension that @Public() puts on an operation; replaced by `security: []` when the document is finished. */
export const PUBLIC_OPERATION_EXTENSION = 'x-kairos-public';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponseDto' };
const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};
const COMMON: Record<string, { description: string; headers?: Json }> = {
  '400': { description: 'Malformed or invalid input (the message says what is wrong)' },
  '401': { description: 'Missing or invalid credentials' },
  '404': { description: 'Not found, or not visible to the caller' },
  '413': { description: 'Request body larger than 1 MB' },
  '429': { description: 'Rate limited: wait Retry-After seconds', headers: RETRY_AFTER },
  '503': { description: 'The database is unreachable for a moment: retry after Retry-After seconds', headers: RETRY_AFTER },
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

/**
 * Finishes what the decorators cannot say once per operation, so that a generated client works unedited:
 * `servers`, `security: []` on public operations (derived from @Public(), so it cannot drift), the error statuses
 * every operation can return (400 for a malformed parameter or body, 401 when it needs a caller, 404 on a path id,
 * 413 on a body, 429 and 503 with Retry-After everywhere), and JSON as the content type of every error.
 */
export function finishOpenApiDocument(document: OpenAPIObject, publicUrl?: string): OpenAPIObject {
  const doc = document as Json;
  // Errors may carry details (e.g. the refused start_time of a 409): the three fields are the contract, not the limit.
  if (doc.components?.schemas?.ErrorResponseDto) doc.components.schemas.ErrorResponseDto.additionalProperties = true;
  doc.servers = [{ url: publicUrl ? publicUrl.replace(/\/+$/, '') || '/' : '/', description: 'This Kairos instance' }];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      const isPublic = op[PUBLIC_OPERATION_EXTENSION] === true;
      delete op[PUBLIC_OPERATION_EXTENSION];
      if (isPublic) op.security = [];
      const hasParams = Array.isArray(op.parameters) && op.parameters.length > 0;
      const statuses = ['429', '503'];
      if (hasParams || op.requestBody) statuses.push('400');
      if (!isPublic) statuses.push('401');
      if (path.includes('{')) statuses.push('404');
      if (op.requestBody) statuses.push('413');
      op.responses ??= {};
      for (const status of statuses) op.responses[status] ??= { description: COMMON[status].description };
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (!/^[45]/.test(status)) continue;
        // Errors are JSON, whatever the success content type is (an @ApiProduces('text/calendar') also lands here).
        if (!response.content?.['application/json']) response.content = { 'application/json': { schema: ERROR_REF } };
        const headers = COMMON[status]?.headers;
        if (headers) response.headers = { ...headers, ...(response.headers ?? {}) };
      }
    }
  }
  moveInputDefaultsToDescriptions(doc);
  return document;
}

/**
 * openapi-typescript (7.x, default flags) types a property that has a `default` as required, also in request bodies and
 * query parameters (openapi-ts/openapi-typescript#1741, #2012), so a generated client would have to send every
 * defaulted field. For inputs the default is what the server assumes when the field is left out: say so in the
 * description instead, and leave the property optional for every generator.
 */
function moveInputDefaultsToDescriptions(doc: Json): void {
  const schemas = (doc.components?.schemas ?? {}) as Json;
  const inputs = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!inputs.has(name)) { inputs.add(name); visit(schemas[name]); }
      } else visit(value);
    }
  };
  const undefault = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(undefault);
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    if ('default' in schema && (schema.type !== undefined || schema.enum !== undefined || schema.$ref !== undefined)) {
      const note = `Default: ${JSON.stringify(schema.default)}.`;
      schema.description = schema.description ? `${schema.description}. ${note}` : note;
      delete schema.default;
    }
    for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') undefault(value);
  };
  for (const item of Object.values((doc.paths ?? {}) as Json)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      for (const parameter of (op.parameters ?? []) as Json[]) undefault(parameter.schema);
      if (op.requestBody) { visit(op.requestBody); undefault(op.requestBody); }
    }
  }
  for (const name of inputs) undefault(schemas[name]);
}
