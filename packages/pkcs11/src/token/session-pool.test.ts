import { describe, expect, it } from 'vitest';
import { SessionPool } from './session-pool.js';

const handle = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

describe('SessionPool', () => {
  it('holds the bound, serves waiters in order, reuses sessions', async () => {
    let next = 1;
    const closed: number[] = [];
    const pool = new SessionPool(
      2,
      () => handle(next++),
      (s) => closed.push(Number(s.readBigUInt64LE(0))),
    );
    const a = await pool.acquire();
    const b = await pool.acquire();
    const order: string[] = [];
    const c = pool.acquire().then((l) => {
      order.push('c');
      return l;
    });
    const d = pool.acquire().then((l) => {
      order.push('d');
      return l;
    });
    expect(pool.stats()).toMatchObject({ inUse: 2, waiting: 2, open: 2, opened: 2 });
    pool.release(a, false);
    const lc = await c;
    expect(lc.session).toEqual(a.session);
    pool.release(b, true); // broken: closed, the waiter gets a new session
    const ld = await d;
    expect(closed).toEqual([2]);
    expect(ld.session).toEqual(handle(3));
    expect(order).toEqual(['c', 'd']);
    expect(pool.stats()).toMatchObject({ maxInUse: 2, inUse: 2, waiting: 0, opened: 3 });
    pool.release(lc, false);
    pool.release(ld, false);
  });

  it('after renew, sessions of the old generation are closed when they come back', async () => {
    let next = 1;
    const closed: number[] = [];
    const pool = new SessionPool(
      3,
      () => handle(next++),
      (s) => closed.push(Number(s.readBigUInt64LE(0))),
    );
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(b, false);
    pool.renew(); // b (idle) closed now
    expect(closed).toEqual([2]);
    pool.release(a, false); // old generation: closed, not kept
    expect(closed).toEqual([2, 1]);
    const c = await pool.acquire();
    expect(c.generation).toBe(1);
    expect(c.session).toEqual(handle(3));
    pool.release(c, false);
  });

  it('close fails the waiters with ERR_PKCS11_CLOSED and waits for sessions in use', async () => {
    const pool = new SessionPool(
      1,
      () => handle(1),
      () => {},
    );
    const a = await pool.acquire();
    const waiting = pool.acquire();
    let closedDone = false;
    const closing = pool.close().then((idle) => {
      closedDone = true;
      return idle;
    });
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_PKCS11_CLOSED' });
    await Promise.resolve();
    expect(closedDone).toBe(false);
    pool.release(a, false);
    expect(await closing).toEqual([]);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'ERR_PKCS11_CLOSED' });
  });

  it('a failing open gives its permit back', async () => {
    let fail = true;
    const pool = new SessionPool(
      1,
      () => {
        if (fail) throw new Error('CKR_DEVICE_ERROR:48');
        return handle(7);
      },
      () => {},
    );
    await expect(pool.acquire()).rejects.toThrow('CKR_DEVICE_ERROR');
    fail = false;
    const lease = await pool.acquire();
    expect(lease.session).toEqual(handle(7));
    expect(pool.stats().inUse).toBe(1);
  });
});
