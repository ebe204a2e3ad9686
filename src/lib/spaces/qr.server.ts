// A QR code of an invite link, drawn on the server as a small SVG (the
// library never reaches the phone's JavaScript; the page shows an <img>, so
// it works and prints without JavaScript). One path of horizontal runs keeps
// it to a few kilobytes on slow, costly data.
import { encode } from 'uqr';

export function qrSvg(text: string): string {
	// Medium error correction: still scans from a creased print-out or a dim projector.
	const { data, size } = encode(text, { ecc: 'M', border: 4 });
	let path = '';
	data.forEach((row, y) => {
		for (let x = 0; x < size; x++) {
			if (!row[x]) continue;
			let run = 1;
			while (x + run < size && row[x + run]) run++;
			path += `M${x} ${y}h${run}v1h-${run}z`;
			x += run - 1;
		}
	});
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
		`<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
	);
}

/** The response for an `<img src=…/qr.svg>`: private (only moderators may see a code), cached a day. */
export const qrResponse = (text: string) =>
	new Response(qrSvg(text), {
		headers: {
			'content-type': 'image/svg+xml; charset=utf-8',
			'cache-control': 'private, max-age=86400',
			'x-content-type-options': 'nosniff'
		}
	});
