/** The ACM-PCA part of the emulator state (filled in by the ACM-PCA operations). */
export interface PcaState {
  readonly authorities: Map<string, unknown>;
}

/** An empty ACM-PCA state. */
export function createPcaState(): PcaState {
  return { authorities: new Map() };
}
