import type { ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { SigSocketError } from '../../common/sigsocket.error.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { DtoValidationPipe } from '../dto-validation.pipe.js';
import { SignRequestDto } from './sign-request.dto.js';

const pipe = new DtoValidationPipe();
const BODY: ArgumentMetadata = { type: 'body', metatype: SignRequestDto };
const validate = (value: unknown): object => pipe.transform(value, BODY);

const hexOf = (bytes: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
/** Hex of the right length and prefix; whether the point is on the curve is the service's job. */
const keyHex = fc
  .oneof(
    fc.tuple(fc.constantFrom('02', '03'), hexOf(32)).map(([prefix, x]) => prefix + x),
    hexOf(64).map((xy) => `04${xy}`),
  )
  .chain((hex) => fc.mixedCase(fc.constant(hex)));
const base64 = fc.uint8Array({ maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const validBody = fc.record(
  { publicKey: keyHex, message: base64, timeoutMs: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) },
  { requiredKeys: ['publicKey', 'message'] },
);
/** Keys that name something on every object, or on the DTO's prototype chain. */
const trickyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
);
/** Any JSON value, as a body parser hands it over: `JSON.parse` makes `__proto__` an own key. */
const parsedJson = fc
  .oneof(
    fc.jsonValue(),
    fc.dictionary(fc.oneof(trickyKey, fc.constantFrom('publicKey', 'message', 'timeoutMs')), fc.jsonValue()),
    validBody.chain((body) =>
      fc.dictionary(trickyKey, fc.jsonValue()).map((extra) => ({ ...extra, ...body })),
    ),
  )
  .map((value): unknown => JSON.parse(JSON.stringify(value)));

function expectInvalidRequest(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SigSocketError);
  expect((thrown as SigSocketError).code).toBe(ErrorCode.InvalidRequest);
}

describe('SignRequestDto through DtoValidationPipe', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('any JSON value either passes as a well-typed DTO or fails with invalid_request', () => {
    fc.assert(
      fc.property(parsedJson, (value) => {
        let dto: object | undefined;
        try {
          dto = validate(value);
        } catch (error) {
          expect(error).toBeInstanceOf(SigSocketError);
          expect((error as SigSocketError).code).toBe(ErrorCode.InvalidRequest);
          return;
        }
        expect(dto).toBeInstanceOf(SignRequestDto);
        const { publicKey, message, timeoutMs } = dto as SignRequestDto;
        expect(typeof publicKey === 'string' && publicKey.length > 0).toBe(true);
        expect(Buffer.from(message, 'base64').toString('base64')).toBe(message);
        if (timeoutMs !== undefined) expect(Number.isInteger(timeoutMs) && timeoutMs >= 1).toBe(true);
        expect(Object.getPrototypeOf(dto)).toBe(SignRequestDto.prototype);
      }),
      { numRuns: 500 },
    );
  });

  test('valid bodies come out as SignRequestDto instances with exactly their values', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const dto = validate({ ...body });
        expect(dto).toBeInstanceOf(SignRequestDto);
        expect({ ...dto }).toEqual(body);
      }),
    );
  });

  test('unknown properties are stripped', () => {
    const extraKey = fc.string().filter((key) => !['publicKey', 'message', 'timeoutMs'].includes(key));
    fc.assert(
      fc.property(validBody, fc.dictionary(extraKey, fc.jsonValue(), { minKeys: 1 }), (body, extra) => {
        const dto = validate(JSON.parse(JSON.stringify({ ...extra, ...body })));
        expect(Object.keys(dto).sort()).toEqual(Object.keys(body).sort());
        expect({ ...dto }).toEqual(body);
      }),
    );
  });

  test('__proto__, constructor and prototype keys pollute nothing', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":1,"timeoutMs":0},"constructor":{"prototype":{"polluted":1}},' +
        '"prototype":{"polluted":1},"publicKey":"02aa","message":"AAEC"}',
    ) as unknown;
    const dto = validate(body);
    expect({ ...dto }).toEqual({ publicKey: '02aa', message: 'AAEC' });
    expect(Object.getPrototypeOf(dto)).toBe(SignRequestDto.prototype);
    expect((dto as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((SignRequestDto.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', [{ publicKey: '02aa', message: 'AA==' }]],
    ['a number', 42],
    ['a missing publicKey', { message: 'AA==' }],
    ['an empty publicKey', { publicKey: '', message: 'AA==' }],
    ['url-safe base64', { publicKey: '02aa', message: '-_8=' }],
    ['timeoutMs 0', { publicKey: '02aa', message: 'AA==', timeoutMs: 0 }],
    ['a fractional timeoutMs', { publicKey: '02aa', message: 'AA==', timeoutMs: 1.5 }],
    ['a string timeoutMs', { publicKey: '02aa', message: 'AA==', timeoutMs: '100' }],
  ])('rejects %s with invalid_request', (_, value) => {
    expectInvalidRequest(() => validate(value));
  });
});
