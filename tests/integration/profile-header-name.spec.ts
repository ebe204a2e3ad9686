// The header reads the person's name from her auth user (issue 24: no request
// of its own per page); the database keeps the user's metadata display_name
// equal to the profile's, whichever path writes the profile. Tried: the sign-up
// name trimmed and cut by the profile, a name derived when sign-up gave none,
// save_profile(), an operator's update, and another person's attempts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInUser, startTestStack, type Person, type TestStack } from './helpers/stack';
import { headerName } from '$lib/profile/queries';

let stack: TestStack;
let hoa: Person;
let other: Person;

/** The name the header shows: from the auth user the auth server gives back. */
async function header(who: Person) {
	const { data, error } = await who.client.auth.getUser();
	expect(error).toBeNull();
	return headerName(data.user!);
}

const profileName = async (id: string) =>
	(
		await stack.sql<{ name: string }>('select display_name as name from public.profiles where id = $1', [id])
	)[0].name;

beforeAll(async () => {
	stack = await startTestStack();
	[hoa, other] = await Promise.all([
		signedInUser(stack, '  Trần Thị Hoa  '),
		signedInUser(stack, 'Người Khác')
	]);
}, 60_000);
afterAll(async () => {
	await stack?.stop();
});

describe("the header's name comes with the auth user", () => {
	it('is the profile’s name from sign-up on (trimmed as the profile keeps it)', async () => {
		expect(await profileName(hoa.id)).toBe('Trần Thị Hoa');
		expect(await header(hoa)).toBe('Trần Thị Hoa');
	});

	it('is the name the profile derives when sign-up gave none', async () => {
		const client = anonClient(stack);
		const email = `noname${Date.now()}@example.org`;
		expect((await client.auth.signUp({ email, password: 'correct horse battery' })).error).toBeNull();
		const code = stack.mailbox.list(email)[0].code ?? '';
		const { data } = await client.auth.verifyOtp({ email, token: code, type: 'signup' });
		const user = (await client.auth.getUser()).data.user!;
		expect(await profileName(data.user!.id)).toBe(email.split('@')[0]);
		expect(headerName(user)).toBe(email.split('@')[0]);
	});

	it('follows the profile when she saves a new name, and when an operator changes it', async () => {
		// The app keeps the language there too (auth emails read it): it must stay.
		expect((await hoa.client.auth.updateUser({ data: { preferred_language: 'vi' } })).error).toBeNull();
		const saved = await hoa.client.rpc('save_profile', {
			p_display_name: 'Chị Hoa',
			p_organisation: '',
			p_phone: '',
			p_preferred_language: 'vi'
		});
		expect(saved.error).toBeNull();
		expect(await header(hoa)).toBe('Chị Hoa');
		await stack.sql(`update public.profiles set display_name = 'Hoa (CDI)' where id = $1`, [hoa.id]);
		expect(await header(hoa)).toBe('Hoa (CDI)');
		// Other metadata stays as it was.
		const { data } = await hoa.client.auth.getUser();
		expect(data.user!.user_metadata.preferred_language).toBe('vi');
	});

	it("another person cannot change someone's profile name, so not her header either", async () => {
		const { data } = await other.client
			.from('profiles')
			.update({ display_name: 'Bị đổi tên' })
			.eq('id', hoa.id)
			.select('id');
		expect(data ?? []).toHaveLength(0);
		expect(await header(hoa)).toBe('Hoa (CDI)');
		expect(await header(other)).toBe('Người Khác');
	});

	it('the trigger function is not callable through the API', async () => {
		const { error } = await hoa.client.rpc('profile_name_to_auth_user' as never);
		expect(error).not.toBeNull();
	});
});
