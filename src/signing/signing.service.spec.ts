import { SigSocketError } from '../common/sigsocket.error.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { SignResponseFrame } from '../protocol/holder-frame.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import type { RegistryService } from '../registry/registry.service.js';
import { resolveOptions } from '../sigsocket-options.interface.js';
import type { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { SigningService } from './signing.service.js';

const KEY = `02${'11'.repeat(32)}`;

/** A SigningService over one fake holder and a verifier that does what the test says. */
function setUp(holder: Partial<HolderConnection>, verify: () => boolean) {
  const connection: HolderConnection = {
    id: 'c1',
    keyId: KEY,
    publicKey: new Uint8Array(33),
    send: () => undefined,
    close: () => undefined,
    ...holder,
  };
  const registry = { resolveKeyId: (key: string) => key, get: () => connection };
  const verifier = { verify };
  const metrics = new SigSocketMetrics();
  const signing = new SigningService(
    resolveOptions({}),
    registry as unknown as RegistryService,
    verifier as unknown as SignatureVerifierService,
    metrics,
  );
  return { signing, connection, metrics };
}

function answer(messageBase64: string): SignResponseFrame {
  return { kind: 'response', messageBase64, signature: new Uint8Array(64), signatureBase64: 'AA==' };
}

async function outcomes(metrics: SigSocketMetrics, outcome: string): Promise<number> {
  const data = await metrics.registry.getSingleMetric('sigsocket_sign_requests_total')!.get();
  return data.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

describe('SigningService', () => {
  it('fails the caller and keeps nothing pending when sending to the holder throws', async () => {
    const { signing, metrics } = setUp(
      {
        send: () => {
          throw new Error('socket not open');
        },
      },
      () => true,
    );
    await expect(signing.sendToSign(KEY, Buffer.from('hi'), { timeoutMs: 50 })).rejects.toThrow(
      'socket not open',
    );
    expect(signing.pendingCount()).toBe(0);
    expect(await outcomes(metrics, ErrorCode.Internal)).toBe(1);
  });

  it('still times out, once, when settling an answer throws', async () => {
    const { signing, connection, metrics } = setUp({}, () => {
      throw new Error('verifier failed');
    });
    const result = signing.sendToSign(KEY, Buffer.from('hi'), { timeoutMs: 30 });
    expect(() => signing.handleResponse(connection, answer(Buffer.from('hi').toString('base64')))).toThrow(
      'verifier failed',
    );
    expect(signing.pendingCount()).toBe(0);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SigSocketError);
    expect((error as SigSocketError).code).toBe(ErrorCode.Timeout);
    expect(await outcomes(metrics, ErrorCode.Timeout)).toBe(1);
  });

  it('answers with the verified signature and cancels the timeout', async () => {
    const { signing, connection, metrics } = setUp({}, () => true);
    const message = Buffer.from('hi');
    const result = signing.sendToSign(KEY, message, { timeoutMs: 30 });
    signing.handleResponse(connection, answer(message.toString('base64')));
    await expect(result).resolves.toMatchObject({ publicKey: KEY, signatureBase64: 'AA==' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await outcomes(metrics, 'ok')).toBe(1);
    expect(await outcomes(metrics, ErrorCode.Timeout)).toBe(0);
  });
});
