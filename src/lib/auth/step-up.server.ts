// The step-up: when many wrong passwords were tried for an account (from
// anywhere, so possibly a botnet), a password alone no longer signs in. The
// owner is not refused: a correct password is finished with a code emailed to
// the account, so only someone who also reads that mailbox gets in. The answer
// is the same code page whether the password was right or wrong, so the
// attacker's guesses stop telling them anything; the page tells the owner why.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { refuse } from '$lib/ui/form';
import { authMessage, authRefusal } from './errors';
import { checkStep, countFailure, takeEmail } from './throttle.server';
import { sessionlessClient } from '$lib/server/supabase';
import { withInvite } from '$lib/spaces/invite-code';
import { carried, invitationFrom } from '$lib/spaces/invitation.server';

export async function stepUp(event: RequestEvent, email: string, password: string) {
	const { locals, url, fetch } = event;
	// Checked on a client that keeps no session: nothing reaches the person's cookies.
	const checker = sessionlessClient(fetch);
	const { data, error } = await checker.auth.signInWithPassword({ email, password });
	const refused = error ? authRefusal(error) : null;
	if (refused === 'network' || refused === 'rate_limit') return refuse(503, authMessage(refused), { email });
	if (data.session) {
		// Ends that session at once (only it: scope local).
		await checker.auth.signOut({ scope: 'local' });
		const wait = await takeEmail(event, email);
		if (wait) return refuse(429, wait, { email });
		const sent = await locals.supabase.auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
		const failed = sent.error ? authRefusal(sent.error) : null;
		if (failed === 'network' || failed === 'rate_limit') return refuse(503, authMessage(failed), { email });
	} else {
		await countFailure(event, 'password', email);
		// A right password would wait here too (no email slot): the same answer.
		const gate = await checkStep(event, 'email', email);
		if (gate.paused) return refuse(429, gate.paused, { email });
	}
	const invite = carried(await invitationFrom(locals.supabase, url));
	redirect(303, withInvite(`/verify?type=email&step_up=1&email=${encodeURIComponent(email)}`, invite));
}
