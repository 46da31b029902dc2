/**
 * A tiny baseline JPEG (JFIF-less, 8-bit greyscale) drawn from an 8×8 grid of grey levels, one
 * flat 8×8-pixel block per cell — enough for a recognisable sample portrait without shipping an
 * image file or an encoder dependency. Only DC coefficients are coded (every AC block is an
 * immediate end-of-block), so the encoder is a few lines of Huffman bit writing (ITU-T T.81).
 */

/** A smiling face on a light background, grey levels 0..255, row by row. */
const FACE: readonly string[] = [
  'bbbbbbbb',
  'bbffffbb',
  'bf3ff3fb',
  'bffffffb',
  'bf7ff7fb',
  'bff77ffb',
  'bbffffbb',
  'b888888b',
];
const LEVEL: Readonly<Record<string, number>> = { b: 200, f: 230, '3': 48, '7': 112, '8': 90 };

class BitWriter {
  readonly bytes: number[] = [];
  #acc = 0;
  #n = 0;
  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.#acc = (this.#acc << 1) | ((value >> i) & 1);
      if (++this.#n === 8) this.#flush();
    }
  }
  #flush(): void {
    this.bytes.push(this.#acc);
    if (this.#acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.#acc = 0;
    this.#n = 0;
  }
  finish(): number[] {
    while (this.#n !== 0) this.write(1, 1); // pad with 1-bits
    return this.bytes;
  }
}

const segment = (marker: number, body: readonly number[]): number[] => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/** The sample holder portrait: a 64×64 greyscale JPEG of about 300 bytes. */
export function samplePortrait(): Uint8Array {
  const cells = FACE.flatMap((row) => [...row].map((c) => LEVEL[c] ?? 128));
  // Quantiser 8 everywhere: a flat block of level p has DC = 8·(p − 128), quantised to p − 128.
  const dqt = [0x00, ...new Array<number>(64).fill(8)];
  const sof0 = [8, 0, 64, 0, 64, 1, 1, 0x11, 0];
  // DC table: categories 0..11, each a 4-bit code (codes 0000..1011 in order).
  const dcCounts = [0, 0, 0, 12, ...new Array<number>(12).fill(0)];
  const dht = [0x00, ...dcCounts, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // AC table: a single symbol, end-of-block (0x00), code "0".
  const dhtAc = [0x10, 1, ...new Array<number>(15).fill(0), 0x00];
  const sos = [1, 1, 0x00, 0, 63, 0];
  const bits = new BitWriter();
  let previous = 0;
  for (const level of cells) {
    const dc = level - 128;
    const diff = dc - previous;
    previous = dc;
    const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
    bits.write(category, 4);
    if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    bits.write(0, 1); // AC: end of block
  }
  return new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xdb, dqt),
    ...segment(0xc0, sof0),
    ...segment(0xc4, dht),
    ...segment(0xc4, dhtAc),
    ...segment(0xda, sos),
    ...bits.finish(),
    0xff,
    0xd9,
  ]);
}
