// The local stack's SMS inbox, beside the mailbox: the code messages the
// phone sign-in stand-in (phone-auth.ts) "sends" are printed to the console
// and kept in memory, for people at /sms and for tests at /sms/messages.json.
// It belongs to the local stack, never to the app. The wording is the one a
// hosted Send SMS hook would send (supabase/templates/sms.json), in the
// recipient's language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SmsMessage {
	/** E.164 with its + (what a gateway is given). */
	to: string;
	text: string;
	code: string;
	/** What the code is for: a new account or a sign-in, or a number being added to an account. */
	kind: 'confirmation' | 'phone_change';
	sentAt: string;
}

const templates = JSON.parse(
	readFileSync(join(import.meta.dirname, '../templates/sms.json'), 'utf8')
) as Record<string, string>;

/** The code message in `language` (en when unknown). */
export function smsText(code: string, language: string | null | undefined): string {
	const template = templates[language === 'vi' || language === 'km' ? language : 'en'];
	return template.replace('{{ .Code }}', code);
}

export class SmsInbox {
	private readonly messages: SmsMessage[] = [];

	constructor(
		private readonly log: (line: string) => void,
		private readonly keep = 200
	) {}

	send(message: Omit<SmsMessage, 'sentAt'>) {
		this.messages.unshift({ ...message, sentAt: new Date().toISOString() });
		this.messages.length = Math.min(this.messages.length, this.keep);
		this.log(`sms to ${message.to}: ${message.text}`);
	}

	/** Newest first; optionally only one number's (written with or without +, spaces ignored). */
	list(to?: string): SmsMessage[] {
		const wanted = to ? `+${to.replace(/[^\d]/g, '')}` : null;
		return this.messages.filter((message) => !wanted || message.to === wanted);
	}
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function handleSmsRequest(url: URL, inbox: SmsInbox): Response | null {
	if (url.pathname === '/sms/messages.json') {
		return Response.json(inbox.list(url.searchParams.get('to') ?? undefined), {
			headers: { 'cache-control': 'no-store' }
		});
	}
	if (url.pathname !== '/sms') return null;
	const to = url.searchParams.get('to') ?? '';
	const rows = inbox
		.list(to || undefined)
		.map(
			(m) => `<article><p class="meta">to <strong>${escape(m.to)}</strong> at ${escape(m.sentAt)}</p>
<p class="code">Code: <output>${escape(m.code)}</output></p><p lang="">${escape(m.text)}</p></article>`
		)
		.join('\n');
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local SMS inbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.code{font-size:1.5rem}.meta{color:#555}input,button{font:inherit;min-height:44px}</style>
</head><body><h1>Local SMS inbox</h1>
<p>Code messages sent by the local stack (newest first). This page exists only in the local stack; the
<a href="/mailbox">mailbox</a> has the emails.</p>
<form><label>Number <input name="to" type="tel" value="${escape(to)}"></label> <button>Filter</button></form>
${rows || '<p>No messages yet.</p>'}</body></html>`;
	return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
