// Text people type, made safe to show. Two tricks are refused here (and again
// by the schema's check constraints):
// - bidirectional controls (U+202A–U+202E, U+2066–U+2069, LRM/RLM/ALM) can make
//   "Biên bản ‮fdp.exe" display as "Biên bản exe.pdf". Vietnamese, Khmer and
//   English never need them, so they are removed.
// - text made only of invisible characters (zero-width spaces, joiners,
//   format characters) shows as a blank card; it counts as empty.
// Zero-width space and joiners are kept inside text: Khmer uses U+200B
// between words and ZWJ/ZWNJ in some spellings.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Something a reader can see: not a space, a control or a format character.
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{Z}]/u;

export const stripBidiControls = (text: string) => text.replace(BIDI_CONTROLS, '');

export const hasVisibleText = (text: string) => VISIBLE.test(text);

/** Trimmed, without bidi controls, and whether anything visible is left. */
export function cleanText(raw: string): { text: string; visible: boolean } {
	const text = stripBidiControls(raw).trim();
	return { text, visible: hasVisibleText(text) };
}
