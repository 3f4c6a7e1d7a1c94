import type { HeadersObject, OpenAPIObject, OperationObject, ReferenceObject, ResponsesObject } from '@nestjs/swagger';

/** OpenAPI extension that @Public() puts on an operation; replaced by `security: []` when the document is finished. */
export const PUBLIC_OPERATION_EXTENSION = 'x-kairos-public';

/** An operation as the decorators left it: maybe without responses yet, maybe marked public. */
type DraftOperation = Omit<OperationObject, 'responses'> & { responses?: ResponsesObject; [PUBLIC_OPERATION_EXTENSION]?: boolean };
type ErrorStatus = '400' | '401' | '404' | '413' | '429' | '503';

const ERROR_REF: ReferenceObject = { $ref: '#/components/schemas/ErrorResponseDto' };
const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
};
const COMMON: Record<ErrorStatus, { description: string; headers?: HeadersObject }> = {
  '400': { description: 'Malformed or invalid input (the message says what is wrong)' },
  '401': { description: 'Missing or invalid credentials' },
  '404': { description: 'Not found, or not visible to the caller' },
  '413': { description: 'Request body larger than 1 MB' },
  '429': { description: 'Rate limited: wait Retry-After seconds', headers: RETRY_AFTER },
  '503': { description: 'The database is unreachable for a moment: retry after Retry-After seconds', headers: RETRY_AFTER },
};
const isCommonStatus = (status: string): status is ErrorStatus => status in COMMON;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
const SCHEMA_REF_PREFIX = '#/components/schemas/';

const isRecord = (node: unknown): node is Record<string, unknown> => typeof node === 'object' && node !== null;

/**
 * Finishes what the decorators cannot say once per operation, so that a generated client works unedited:
 * `servers`, `security: []` on public operations (derived from @Public(), so it cannot drift), the error statuses
 * every operation can return (400 for a malformed parameter or body, 401 when it needs a caller, 404 on a path id,
 * 413 on a body, 429 and 503 with Retry-After everywhere), and JSON as the content type of every error.
 */
export function finishOpenApiDocument(document: OpenAPIObject, publicUrl?: string): OpenAPIObject {
  // Errors may carry details (e.g. the refused start_time of a 409): the three fields are the contract, not the limit.
  const errorSchema = document.components?.schemas?.ErrorResponseDto;
  if (errorSchema && !('$ref' in errorSchema)) errorSchema.additionalProperties = true;
  document.servers = [{ url: publicUrl ? publicUrl.replace(/\/+$/, '') || '/' : '/', description: 'This Kairos instance' }];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op: DraftOperation | undefined = item[method];
      if (!op) continue;
      const isPublic = op[PUBLIC_OPERATION_EXTENSION] === true;
      Reflect.deleteProperty(op, PUBLIC_OPERATION_EXTENSION);
      if (isPublic) op.security = [];
      const hasParams = Array.isArray(op.parameters) && op.parameters.length > 0;
      const statuses: ErrorStatus[] = ['429', '503'];
      if (hasParams || op.requestBody) statuses.push('400');
      if (!isPublic) statuses.push('401');
      if (path.includes('{')) statuses.push('404');
      if (op.requestBody) statuses.push('413');
      const responses = (op.responses ??= {});
      for (const status of statuses) responses[status] ??= { description: COMMON[status].description };
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status) || !response || '$ref' in response) continue;
        // Errors are JSON, whatever the success content type is (an @ApiProduces('text/calendar') also lands here).
        if (!response.content?.['application/json']) response.content = { 'application/json': { schema: ERROR_REF } };
        const headers = isCommonStatus(status) ? COMMON[status].headers : undefined;
        if (headers) response.headers = { ...headers, ...(response.headers ?? {}) };
      }
    }
  }
  moveInputDefaultsToDescriptions(document);
  return document;
}

/**
 * openapi-typescript (7.x, default flags) types a property that has a `default` as required, also in request bodies and
 * query parameters (openapi-ts/openapi-typescript#1741, #2012), so a generated client would have to send every
 * defaulted field. For inputs the default is what the server assumes when the field is left out: say so in the
 * description instead, and leave the property optional for every generator.
 */
function moveInputDefaultsToDescriptions(document: OpenAPIObject): void {
  const schemas: Record<string, unknown> = document.components?.schemas ?? {};
  const inputs = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF_PREFIX)) {
        const name = value.slice(SCHEMA_REF_PREFIX.length);
        if (!inputs.has(name)) {
          inputs.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  const undefault = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(undefault);
      return;
    }
    if (!isRecord(node)) return;
    if ('default' in node && (node.type !== undefined || node.enum !== undefined || node.$ref !== undefined)) {
      const note = `Default: ${JSON.stringify(node.default)}.`;
      node.description = typeof node.description === 'string' && node.description ? `${node.description}. ${note}` : note;
      delete node.default;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'example' && key !== 'examples') undefault(value);
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const parameter of op.parameters ?? []) undefault('schema' in parameter ? parameter.schema : undefined);
      if (op.requestBody) {
        visit(op.requestBody);
        undefault(op.requestBody);
      }
    }
  }
  for (const name of inputs) undefault(schemas[name]);
}
