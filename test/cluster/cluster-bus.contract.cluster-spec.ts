import type { ClusterMessage } from '../../src/cluster/cluster-message.js';
import type { ClusterParts } from '../../src/cluster/cluster-parts.interface.js';
import { eventually } from '../support/wait.js';
import { IMPLEMENTATIONS } from './support/cluster-parts-factories.js';

const KEY = `02${'11'.repeat(32)}`;

describe.each(IMPLEMENTATIONS)('ClusterBus contract (%s)', (_name, factory) => {
  let parts: ClusterParts[] = [];
  let heard: ClusterMessage[][] = [];

  beforeEach(async () => {
    const make = factory();
    parts = [await make(), await make(), await make()];
    heard = parts.map(() => []);
    parts.forEach((part, index) => part.bus.subscribe((message) => heard[index].push(message)));
  });

  afterEach(async () => {
    await Promise.all(parts.map((part) => part.close()));
  });

  const id = (index: number): string => parts[index].directory.instanceId;

  it('sends to one instance only, in order', async () => {
    const messages: ClusterMessage[] = [1, 2, 3].map((n) => ({
      t: 'left',
      from: id(0),
      keyId: `${KEY}${n}`,
    }));
    for (const message of messages) parts[0].bus.send(id(1), message);
    await eventually(() => heard[1].length === 3, 5_000, 'three messages');
    expect(heard[1]).toEqual(messages);
    expect(heard[2]).toEqual([]);
    expect(heard[0]).toEqual([]);
  });

  it('broadcasts to every other instance, not to the sender', async () => {
    const message: ClusterMessage = { t: 'arrived', from: id(0), keyId: KEY, protocol: 'v2' };
    parts[0].bus.broadcast(message);
    await eventually(() => heard[1].length === 1 && heard[2].length === 1, 5_000, 'the broadcast');
    expect(heard[1]).toEqual([message]);
    expect(heard[2]).toEqual([message]);
    // A message sent after the broadcast arrives after it: the sender heard nothing meanwhile.
    parts[0].bus.send(id(1), { t: 'left', from: id(0), keyId: KEY });
    await eventually(() => heard[1].length === 2, 5_000, 'the next message');
    expect(heard[0]).toEqual([]);
  });

  it('drops a message for an instance that is gone', async () => {
    await parts[2].close();
    parts[0].bus.send(id(2), { t: 'left', from: id(0), keyId: KEY });
    parts[0].bus.send(id(1), { t: 'left', from: id(0), keyId: KEY });
    await eventually(() => heard[1].length === 1, 5_000, 'the message to a live instance');
    expect(heard[2]).toEqual([]);
  });
});
