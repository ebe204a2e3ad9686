/** A download's Content-Disposition with the draft's title (UTF-8, RFC 5987) and an ASCII fallback. */
export function fileName(title: string, extension: string): string {
	const ascii =
		title
			.normalize('NFKD')
			.replace(/[^\w .-]+/g, '')
			.trim()
			.slice(0, 80) || 'draft';
	return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${title.slice(0, 120)}.${extension}`)}`;
}
