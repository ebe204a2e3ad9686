// Digits as people type them on their phones: Khmer (០–៩) and other scripts'
// decimal digits become ASCII, so "៥០០ ០០០" is read like "500 000".
const ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0x0ed0, 0x1040, 0x17e0, 0x1810, 0xff10];

export function asciiDigits(text: string): string {
	return text.replace(/\p{Nd}/gu, (digit) => {
		const code = digit.codePointAt(0)!;
		const zero = ZEROS.find((z) => code >= z && code <= z + 9);
		return zero === undefined ? digit : String(code - zero);
	});
}
