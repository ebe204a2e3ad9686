// The account capability's calls, as the signed-in person (supabase/schemas/account.sql).
import type { Client } from '$lib/supabase/types';

export const requestExport = (supabase: Client) => supabase.rpc('request_data_export');

export async function myExports(supabase: Client) {
	const { data } = await supabase
		.from('data_exports')
		.select('id, status, size_bytes, created_at, finished_at, object_path')
		.order('created_at', { ascending: false })
		.limit(5);
	return data ?? [];
}

/** A ready download of mine, as a stream from the private bucket (my session reads my own folder only). */
export async function downloadExport(supabase: Client, exportId: string) {
	const { data: row } = await supabase
		.from('data_exports')
		.select('object_path, status')
		.eq('id', exportId)
		.maybeSingle();
	if (!row?.object_path || row.status !== 'ready') return null;
	const { data } = await supabase.storage.from('data-exports').download(row.object_path);
	return data;
}

/** Removes my built downloads from storage (before my account goes: the rows go with it, the files would not). */
export async function removeMyExports(supabase: Client, userId: string) {
	const { data } = await supabase.storage.from('data-exports').list(userId);
	const paths = (data ?? []).map((file) => `${userId}/${file.name}`);
	if (paths.length) await supabase.storage.from('data-exports').remove(paths);
}

export async function spacesToHandOver(supabase: Client) {
	const { data } = await supabase.rpc('spaces_to_hand_over');
	return data ?? [];
}

export const eraseMyAccount = (supabase: Client, posts: 'keep' | 'delete') =>
	supabase.rpc('erase_my_account', { p_posts: posts });
