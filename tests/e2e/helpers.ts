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
