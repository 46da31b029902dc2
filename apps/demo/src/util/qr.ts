import QRCode from 'qrcode';

/**
 * The QR code of `text` for a terminal: two modules per character (Unicode half blocks), dark on
 * light, with the quiet zone, so a phone can scan it off the screen.
 */
export async function qrTerminal(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
}

/** The QR code of `text` as a standalone SVG document. */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'L', margin: 4 });
}

/** The QR code of `text` as a PNG image (8 pixels per module). */
export async function qrPng(text: string): Promise<Uint8Array> {
  return new Uint8Array(
    await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'L', margin: 4, scale: 8 }),
  );
}
