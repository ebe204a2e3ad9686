// The local stack's outbox for auth emails (sign-up codes, login codes,
// password resets). Every message is printed to the console and kept in
// memory so a person can read it at /mailbox and the e2e tests at
// /mailbox/messages.json. It belongs to the local stack, never to the app.
// Messages are rewritten as the hosted templates in the README write them:
// in the recipient's language (user metadata's preferred_language, what
// hosted templates read as .Data.preferred_language), code first, and a link
// to the app's page that takes the code, with the address and code filled in
// (lite's own link points at the app's origin + /auth/v1/verify, a 404).
import { InMemoryEmailDriver } from '@supabase/lite';
import type { EmailMessage, StoredEmailMessage } from '@supabase/lite';

export class DevMailbox extends InMemoryEmailDriver {
	private languageOf: (email: string) => Promise<string | null> = () => Promise.resolve(null);

	constructor(private readonly log: (line: string) => void) {
		super({ maxKeepCount: 200 });
	}

	override async send(original: EmailMessage): Promise<void> {
		const language = await this.languageOf(original.to).catch(() => null);
		const message = localiseAuthEmail(original, language);
		await super.send(message);
		const code = extractCode(message.text ?? '');
		this.log(`mail to ${message.to}: ${message.subject}${code ? ` (code ${code})` : ''}`);
	}

	/** Once the database is up: read recipients' languages with this owner query. */
	readLanguagesWith(sql: <T>(query: string, params: unknown[]) => Promise<T[]>) {
		this.languageOf = async (email) => {
			const rows = await sql<{ language: string | null }>(
				`select raw_user_meta_data ->> 'preferred_language' as language from auth.users where lower(email) = lower($1)`,
				[email]
			);
			return rows[0]?.language ?? null;
		};
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

// What the app's pages are for each kind of email (see the README's templates).
type Kind = 'signup' | 'magiclink' | 'recovery';
const appPage: Record<Kind, (email: string, code: string) => string> = {
	signup: (email, code) => `/verify?type=signup&email=${encodeURIComponent(email)}&code=${code}`,
	magiclink: (email, code) => `/verify?type=email&email=${encodeURIComponent(email)}&code=${code}`,
	recovery: (email, code) => `/reset-password/confirm?email=${encodeURIComponent(email)}&code=${code}`
};

const wording: Record<'en' | 'vi' | 'km', Record<Kind, [subject: string, line: string]> & { link: string }> =
	{
		en: {
			signup: ['Your Sahakum code', 'Your code to confirm your account:'],
			magiclink: ['Your Sahakum sign-in code', 'Your code to sign in:'],
			recovery: ['Reset your Sahakum password', 'Your code to choose a new password:'],
			link: 'Or open this link, then press the button:'
		},
		vi: {
			signup: ['Mã Sahakum của bạn', 'Mã để xác nhận tài khoản của bạn:'],
			magiclink: ['Mã đăng nhập Sahakum', 'Mã để đăng nhập:'],
			recovery: ['Đặt lại mật khẩu Sahakum', 'Mã để chọn mật khẩu mới:'],
			link: 'Hoặc mở đường dẫn này rồi bấm nút:'
		},
		km: {
			signup: ['លេខកូដ Sahakum របស់អ្នក', 'លេខកូដដើម្បីបញ្ជាក់គណនីរបស់អ្នក៖'],
			magiclink: ['លេខកូដចូល Sahakum', 'លេខកូដដើម្បីចូល៖'],
			recovery: ['កំណត់ពាក្យសម្ងាត់ Sahakum ឡើងវិញ', 'លេខកូដដើម្បីជ្រើសពាក្យសម្ងាត់ថ្មី៖'],
			link: 'ឬបើកតំណនេះ រួចចុចប៊ូតុង៖'
		}
	};

/**
 * A sign-up, sign-in or reset email from lite, in `language`, with the code
 * first and a link to the app's page for that code. Other emails pass as they are.
 */
export function localiseAuthEmail(message: EmailMessage, language: string | null): EmailMessage {
	const code = extractCode(message.text ?? '');
	const link = (message.text ?? '').match(/https?:\/\/\S+\/auth\/v1\/verify\?\S+/)?.[0];
	if (!code || !link) return message;
	const verify = new URL(link);
	const kind = verify.searchParams.get('type');
	if (kind !== 'signup' && kind !== 'magiclink' && kind !== 'recovery') return message;
	const words = wording[language === 'vi' || language === 'km' ? language : 'en'];
	const [subject, line] = words[kind];
	const url = `${verify.origin}${appPage[kind](message.to, code)}`;
	const text = `${line}\n\n    ${code}\n\n${words.link}\n${url}\n`;
	const html = `<p>${escape(line)}</p><p style="font-size:28px;font-weight:700;letter-spacing:4px">${code}</p><p>${escape(words.link)}<br><a href="${escape(url)}">${escape(url)}</a></p>`;
	return { ...message, subject, text, html };
}
