/**
 * Run `worker(i)` for i in [0, count) with at most `concurrency` calls in flight. Results keep
 * index order. `worker` must not throw (callers wrap failures into results); if it does, the pool
 * stops starting new work and re-throws after the in-flight calls settle.
 */
export async function runPool<R>(
  count: number,
  concurrency: number,
  worker: (index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lanes = Math.max(1, Math.min(Math.floor(concurrency), count));
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        results[index] = await worker(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}
