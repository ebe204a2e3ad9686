// Links in a draft may only go to the web or to an email address. Checked
// where a link is projected, and again wherever one is shown or exported
// (RichText.svelte, docx.server.ts): a stored projection is data, not a
// promise, so `javascript:` or `file:` never becomes a link even if one got in.
export const safeHref = (href: unknown): string | null =>
	typeof href === 'string' && /^(https?:\/\/|mailto:)[^\s"<>]+$/i.test(href) ? href.slice(0, 2000) : null;
