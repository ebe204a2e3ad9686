// The local stack's outbox for auth emails (sign-up codes, login codes,
// password resets). Every message is printed to the console and kept in
// memory so a person can read it at /mailbox and the e2e tests at
// /mailbox/messages.json. It belongs to the local stack, never to the app.
import { InMemoryEmailDriver } from '@supabase/lite';
import type { EmailMessage, StoredEmailMessage } from '@supabase/lite';

export class DevMailbox extends InMemoryEmailDriver {
	constructor(private readonly log: (line: string) => void) {
		super({ maxKeepCount: 200 });
	}

	override async send(message: EmailMessage): Promise<void> {
		await super.send(message);
		const code = extractCode(message.text ?? '');
		this.log(`mail to ${message.to}: ${message.subject}${code ? ` (code ${code})` : ''}`);
	}

	/** Newest first; optionally only one recipient's messages. */
	list(to?: string): (StoredEmailMessage & { code: string | null })[] {
		const all = [...this.messages.entries()]
			.filter(([recipient]) => !to || recipient.toLowerCase() === to.toLowerCase())
			.flatMap(([, messages]) => messages);
		return all
			.sort((a, b) => b.sentAt.localeCompare(a.sentAt))
			.map((message) => ({ ...message, code: extractCode(message.text ?? '') }));
	}
}

export function extractCode(text: string): string | null {
	return text.match(/\b(\d{6,10})\b/)?.[1] ?? null;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function handleMailboxRequest(url: URL, mailbox: DevMailbox): Response | null {
	if (url.pathname === '/mailbox/messages.json') {
		const messages = mailbox.list(url.searchParams.get('to') ?? undefined);
		return Response.json(messages, { headers: { 'cache-control': 'no-store' } });
	}
	if (url.pathname !== '/mailbox') return null;
	const rows = mailbox
		.list(url.searchParams.get('to') ?? undefined)
		.map(
			(m) => `<article><h2>${escape(m.subject)}</h2>
<p class="meta">to <strong>${escape(m.to)}</strong> at ${escape(m.sentAt)}</p>
${m.code ? `<p class="code">Code: <output>${escape(m.code)}</output></p>` : ''}
<pre>${escape(m.text ?? '')}</pre></article>`
		)
		.join('\n');
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.code{font-size:1.5rem}.meta{color:#555}pre{white-space:pre-wrap;word-break:break-all}</style>
</head><body><h1>Local mailbox</h1>
<p>Emails sent by the local stack (newest first). This page exists only in the local stack.</p>
<form><label>Recipient <input name="to" type="email" value="${escape(url.searchParams.get('to') ?? '')}"></label> <button>Filter</button></form>
${rows || '<p>No emails yet.</p>'}</body></html>`;
	return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
