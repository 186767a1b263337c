import { PlatformService, differencesOf, platformService, roleOf, synthPlatform } from '../support/platform';

/**
 * Shared slots (pooled infrastructure roles, the live-weights reader's attributes) are keyed by
 * stable names: adding, removing or reordering services leaves every other service's resources
 * byte-identical, so a stack update touches only what changed (issue #14, item 1).
 */

const ten: PlatformService[] = Array.from({ length: 10 }, (_, n) => platformService(n));

describe('a platform stack of 10 services on one listener', () => {
  const before = synthPlatform(ten);

  test('removing Svc0 leaves the 9 other services\' ECS services, rules, target groups and reader entries untouched', () => {
    const after = synthPlatform(ten.slice(1));
    const changed = ten.slice(1).map((s) => `Svc${s.n}`).flatMap((id) => differencesOf(id, before, after).map((d) => `${id}: ${d}`));
    expect(changed).toEqual([]);
    // Svc0's resources are gone.
    expect(after.owned.Svc0).toBeUndefined();
    for (const id of before.owned.Svc0) expect(after.template.Resources[id]).toBeUndefined();
  });

  test('no service\'s infrastructure role moves when others come and go', () => {
    const after = synthPlatform(ten.slice(1));
    for (const s of ten.slice(1)) {
      expect({ id: s.n, role: roleOf(`Svc${s.n}`, after) }).toEqual({ id: s.n, role: roleOf(`Svc${s.n}`, before) });
    }
    const grown = synthPlatform([...ten, ...[10, 11, 12, 13, 14, 15].map((n) => platformService(n))]);
    for (const s of ten) {
      expect({ id: s.n, role: roleOf(`Svc${s.n}`, grown) }).toEqual({ id: s.n, role: roleOf(`Svc${s.n}`, before) });
    }
  });

  test('the order the services are constructed in does not change the template', () => {
    const reversed = synthPlatform([...ten].reverse());
    expect(reversed.template).toEqual(before.template);
  });
});
