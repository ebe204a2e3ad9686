import { expect, type Page } from '@playwright/test';

export const stackUrl = () => {
	const url = process.env.E2E_STACK_URL;
	if (!url) throw new Error('E2E_STACK_URL is not set: run the e2e tests through `npm run test:e2e`.');
	return url;
};

let counter = 0;
export const uniqueEmail = (prefix = 'e2e') => `${prefix}.${Date.now()}.${++counter}@example.org`;

/** Reads the newest code mailed to `email` from the local stack's mailbox page, as a person would. */
export async function readCodeFromMailbox(page: Page, email: string): Promise<string> {
	const mailbox = await page.context().newPage();
	await mailbox.goto(`${stackUrl()}/mailbox?to=${encodeURIComponent(email)}`);
	const code = (await mailbox.locator('article output').first().textContent())?.trim() ?? '';
	await mailbox.close();
	expect(code).toMatch(/^\d{6}$/);
	return code;
}

/** Signs in as one of the demo accounts (password `sahakum-demo`). */
export async function signInAsDemo(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button[type=submit]').click();
	await expect(page).not.toHaveURL(/sign-in/);
}

export async function signUp(page: Page, name: string, email: string, password = 'long enough password') {
	await page.goto('/sign-up');
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/verify/);
	const code = await readCodeFromMailbox(page, email);
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hello, ${name}`);
}

/** A small but real one-page PDF (the app reads the first bytes of every upload). */
export function tinyPdf(): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >>'
	];
	let body = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(body.length);
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** A demo account's own supabase-js session against the local stack, as a script outside the app would have. */
export async function demoClient(email: string) {
	const { createClient } = await import('@supabase/supabase-js');
	const { default: ws } = await import('ws');
	const client = createClient(stackUrl(), process.env.E2E_STACK_KEY ?? '', {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	const { error } = await client.auth.signInWithPassword({ email, password: 'sahakum-demo' });
	if (error) throw error;
	return client;
}
