// The notifications settings page's reads and writes, as the person (RLS).
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';

type Client = SupabaseClient<Database>;

export const DEFAULT_QUIET = { start: '22:00', end: '06:00', zone: 'Asia/Ho_Chi_Minh' } as const;

export interface FollowChoice {
	spaceId: string;
	/** The space's name, or the dialogue's title for a guest. */
	label: string;
	/** A guest's choice: the space the dialogue belongs to. */
	dialogueSpace: string | null;
	chosen: boolean;
}

const hhmm = (time: string | null | undefined, fallback: string) => (time ?? fallback).slice(0, 5);

export async function loadPushSettings(supabase: Client, userId: string) {
	const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
	const [phones, chosen, settings, spaces, guestOf, waiting, failed, saver] = await Promise.all([
		supabase.from('push_subscriptions').select('endpoint'),
		supabase.from('push_spaces').select('space_id'),
		supabase.from('push_settings').select('quiet_start, quiet_end, time_zone, dropped_at').maybeSingle(),
		supabase.from('space_members').select('role, spaces(id, name, sensitive)').eq('user_id', userId),
		supabase.rpc('my_dialogues'),
		supabase.from('push_jobs').select('id', { count: 'exact', head: true }).eq('status', 'pending'),
		supabase
			.from('push_jobs')
			.select('id', { count: 'exact', head: true })
			.eq('status', 'failed')
			.gte('finished_at', since),
		supabase.from('profile_private').select('data_saver').eq('id', userId).maybeSingle()
	]);
	const chosenIds = new Set((chosen.data ?? []).map((row) => row.space_id));
	const memberSpaces = (spaces.data ?? []).flatMap((row) =>
		row.spaces ? [{ ...row.spaces, role: row.role }] : []
	);
	const dialogues = guestOf.data ?? [];
	const dialogueSpaces = dialogues.length
		? ((
				await supabase
					.from('dialogues')
					.select('id, space_id')
					.in(
						'id',
						dialogues.map((d) => d.id)
					)
			).data ?? [])
		: [];
	const choices: FollowChoice[] = [
		...memberSpaces.map((s) => ({
			spaceId: s.id,
			label: s.name,
			dialogueSpace: null,
			chosen: chosenIds.has(s.id)
		})),
		...dialogues.flatMap((d) => {
			const spaceId = dialogueSpaces.find((x) => x.id === d.id)?.space_id;
			return spaceId
				? [{ spaceId, label: d.title, dialogueSpace: d.space_name, chosen: chosenIds.has(spaceId) }]
				: [];
		})
	];
	return {
		phones: (phones.data ?? []).map((p) => p.endpoint),
		choices,
		quiet: {
			start: hhmm(settings.data?.quiet_start, DEFAULT_QUIET.start),
			end: hhmm(settings.data?.quiet_end, DEFAULT_QUIET.end),
			zone: settings.data?.time_zone ?? DEFAULT_QUIET.zone
		},
		droppedAt: settings.data?.dropped_at ?? null,
		waiting: waiting.count ?? 0,
		failed: failed.count ?? 0,
		sensitive: memberSpaces
			.filter((s) => s.role === 'facilitator')
			.map((s) => ({ id: s.id, name: s.name, sensitive: s.sensitive })),
		dataSaver: saver.data?.data_saver ?? false
	};
}

/** Why a phone was refused: not a known push service's endpoint, or another account's endpoint (other keys). */
export type PhoneRefusal = 'service' | 'taken' | 'other';

export async function savePhone(
	supabase: Client,
	phone: { endpoint: string; p256dh: string; auth: string }
): Promise<{ refused: PhoneRefusal | null }> {
	const { error } = await supabase.rpc('save_push_subscription', {
		p_endpoint: phone.endpoint,
		p_p256dh: phone.p256dh,
		p_auth: phone.auth
	});
	if (!error) return { refused: null };
	if (error.message.includes('push_endpoint_not_allowed')) return { refused: 'service' };
	if (error.message.includes('push_endpoint_taken')) return { refused: 'taken' };
	return { refused: 'other' };
}

export const forgetPhone = (supabase: Client, endpoint: string) =>
	supabase.from('push_subscriptions').delete().eq('endpoint', endpoint);

/** Makes the chosen spaces exactly `spaceIds` (only spaces the person may follow are taken). */
export async function chooseSpaces(supabase: Client, userId: string, spaceIds: string[]) {
	const current = new Set(
		((await supabase.from('push_spaces').select('space_id')).data ?? []).map((r) => r.space_id)
	);
	const wanted = new Set(spaceIds);
	const dropped = [...current].filter((id) => !wanted.has(id));
	const added = [...wanted].filter((id) => !current.has(id));
	if (dropped.length) {
		const { error } = await supabase.from('push_spaces').delete().in('space_id', dropped);
		if (error) return { error };
	}
	if (added.length) {
		return supabase.from('push_spaces').insert(added.map((space_id) => ({ user_id: userId, space_id })));
	}
	return { error: null };
}

export const saveQuietHours = (
	supabase: Client,
	userId: string,
	quiet: { start: string; end: string; zone: string }
) =>
	supabase
		.from('push_settings')
		.upsert({ user_id: userId, quiet_start: quiet.start, quiet_end: quiet.end, time_zone: quiet.zone });

/** Facilitators mark their spaces sensitive or not (the spaces' update policy decides). */
export async function saveSensitive(supabase: Client, spaces: { id: string; sensitive: boolean }[]) {
	for (const space of spaces) {
		const { error } = await supabase.from('spaces').update({ sensitive: space.sensitive }).eq('id', space.id);
		if (error) return { error };
	}
	return { error: null };
}

/** Turning notifications on for the first time follows every space and dialogue I am in (then I narrow it). */
export const followEverything = (supabase: Client) => supabase.rpc('follow_everything');

/** The phones (push endpoints) this person has turned notifications on for: to tell whether this one is. */
export async function myPhones(supabase: Client): Promise<string[]> {
	const { data } = await supabase.from('push_subscriptions').select('endpoint');
	return (data ?? []).map((row) => row.endpoint);
}
