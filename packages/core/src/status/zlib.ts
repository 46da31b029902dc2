import { MdlError } from '../errors/mdl-error.js';

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new MdlError('ERR_STATUS_LIST_INVALID', 'decompressed status list exceeds the size limit', {
        details: { maxBytes },
      });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function pipe(
  input: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): ReadableStream<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Errors surface on the readable side; the writer promises are observed to avoid unhandled rejections.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  return transform.readable as ReadableStream<Uint8Array>;
}

/**
 * ZLIB (RFC 1950) deflate, as the Token Status List requires for `lst`. Uses the platform's
 * `CompressionStream('deflate')` (Node ≥ 18, all current browsers).
 */
export async function zlibDeflate(input: Uint8Array): Promise<Uint8Array> {
  return readAll(pipe(input, new CompressionStream('deflate')), Number.MAX_SAFE_INTEGER);
}

/**
 * ZLIB inflate with an output bound (a 1 KiB token must not expand into gigabytes).
 *
 * @throws {@link MdlError} `ERR_STATUS_LIST_INVALID` when the data is not valid ZLIB or expands
 * beyond `maxBytes`.
 */
export async function zlibInflate(input: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readAll(pipe(input, new DecompressionStream('deflate')), maxBytes);
  } catch (error) {
    if (error instanceof MdlError) throw error;
    throw new MdlError('ERR_STATUS_LIST_INVALID', 'status list is not valid ZLIB data', { cause: error });
  }
}
