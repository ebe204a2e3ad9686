// Accessibility: axe-core (WCAG 2.1 A and AA rules) on every main page, on a
// phone-sized screen, in Vietnamese and in Khmer, signed in as a club member
// and as a facilitator (who sees the organising forms too). Any violation
// fails the test with the rule, the element and axe's explanation.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './test';
import { signInAsDemo } from './helpers';

const CLUB = '/spaces/10000000-0000-4000-a000-000000000001';
const COP = '/spaces/10000000-0000-4000-a000-000000000002';
const pagesOf = (space: string, thread: string, resource: string) => [
	'/',
	space,
	`${space}/threads/${thread}`,
	`${space}/members`,
	`${space}/search?q=bao+hiem`,
	`${space}/library`,
	'/library',
	resource,
	'/profile',
	'/spaces/new',
	'/join'
];

async function violationsOn(page: Page, path: string) {
	await page.goto(path);
	await expect(page.locator('main')).toBeVisible();
	// Open folded sections so their forms are checked as well.
	await page
		.locator('details')
		.evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map(
		(v) =>
			`${path} ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`
	);
}

test('signed-out pages have no WCAG A/AA violations', async ({ page }) => {
	const found: string[] = [];
	for (const path of [
		'/sign-in',
		'/sign-up',
		'/sign-in/phone',
		'/sign-up/phone',
		'/verify?type=sms&phone=%2B84901234567&new=1',
		'/reset-password'
	])
		found.push(...(await violationsOn(page, path)));
	expect(found, found.join('\n')).toEqual([]);
});

test('a club member’s pages in Vietnamese have no WCAG A/AA violations', async ({ page }) => {
	await signInAsDemo(page, 'mai@sahakum.test');
	const found: string[] = [];
	for (const path of pagesOf(
		CLUB,
		'20000000-0000-4000-a000-000000000001',
		`${CLUB}/library/50000000-0000-4000-a000-000000000004`
	))
		found.push(...(await violationsOn(page, path)));
	expect(found, found.join('\n')).toEqual([]);
});

test('a facilitator’s pages in Khmer have no WCAG A/AA violations', async ({ page }) => {
	await signInAsDemo(page, 'sokha@sahakum.test');
	const found: string[] = [];
	for (const path of pagesOf(
		COP,
		'20000000-0000-4000-a000-000000000003',
		'/library/50000000-0000-4000-a000-000000000002'
	))
		found.push(...(await violationsOn(page, path)));
	expect(found, found.join('\n')).toEqual([]);
});

const DIALOGUE = '/dialogues/20000000-0000-4000-a000-000000000010';
const dialoguePages = [
	DIALOGUE,
	`${DIALOGUE}/actions/60000000-0000-4000-a000-000000000001`,
	`${DIALOGUE}/report`,
	'/actions'
];

test('a dialogue’s pages for its convener (Vietnamese) and its guest (Khmer) have no WCAG A/AA violations', async ({
	page,
	browser
}) => {
	await signInAsDemo(page, 'hoa@sahakum.test');
	const found: string[] = [];
	for (const path of [
		...dialoguePages,
		`${DIALOGUE}/guests`,
		`${DIALOGUE}/actions/new`,
		`${CLUB}/dialogues`,
		`${CLUB}/dialogues/new`,
		`${CLUB}/actions`
	])
		found.push(...(await violationsOn(page, path)));
	const guest = await browser.newContext({ viewport: { width: 360, height: 740 } });
	await guest.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'km', url: test.info().project.use.baseURL! }]);
	const guestPage = await guest.newPage();
	await signInAsDemo(guestPage, 'binh@sahakum.test');
	// The join page itself (the guest's own code would now take him straight into the dialogue).
	for (const path of [...dialoguePages, '/dialogues/join'])
		found.push(...(await violationsOn(guestPage, path)));
	await guest.close();
	expect(found, found.join('\n')).toEqual([]);
});
