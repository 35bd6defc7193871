import request from 'supertest';
import { startApp, TestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';
import { loadWycheproof, WycheproofSet } from './support/wycheproof.js';

const BACKENDS = ['native', 'elliptic'] as const;
const SETS: { name: WycheproofSet; lowS: boolean }[] = [
  { name: 'der', lowS: false },
  { name: 'p1363', lowS: false },
  { name: 'bitcoin', lowS: true },
];
const cases = BACKENDS.flatMap((verifier) => SETS.map((set) => ({ verifier, ...set })));

/**
 * Every Wycheproof vector through the live path: a real holder on /ws introduces the group's key
 * and answers with the vector's signature; POST /sign must return 200 exactly for valid vectors.
 * The files carry no "acceptable" vectors; one would count as a disagreement here.
 */
describe.each(cases)(
  'Wycheproof $name through /ws and POST /sign with $verifier',
  ({ verifier, name, lowS }) => {
    let t: TestApp;

    beforeAll(async () => {
      // The vectors come without private keys, so these holders cannot prove possession.
      t = await startApp('express', {
        VERIFIER: verifier,
        LOW_S: String(lowS),
        PROOF_OF_POSSESSION: 'false',
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('agrees with every vector', async () => {
      const data = loadWycheproof(name);
      const disagreements: string[] = [];
      let checked = 0;
      for (const group of data.testGroups) {
        const holder = await TestHolder.connect(t.ws, () => group.publicKey.uncompressed);
        await eventually(() => t.signing.isConnected(group.publicKey.uncompressed), 3000, 'the group key');
        for (const vector of group.tests) {
          const signature = Buffer.from(vector.sig, 'hex').toString('base64');
          holder.responder = (frame) => `${frame}.${signature}`;
          const message = Buffer.from(vector.msg, 'hex').toString('base64');
          const res = await request(t.http)
            .post('/sign')
            .send({ publicKey: group.publicKey.uncompressed, message });
          const expected = vector.result === 'valid' ? 200 : 502;
          if (res.status !== expected)
            disagreements.push(`tcId ${vector.tcId} (${vector.comment}): ${res.status}`);
          checked++;
        }
        await holder.close();
      }
      expect(disagreements).toEqual([]);
      expect(checked).toBe(data.numberOfTests);
      expect(t.signing.pendingCount()).toBe(0);
    });
  },
);
