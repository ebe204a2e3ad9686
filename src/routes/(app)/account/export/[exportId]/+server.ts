// My data download, read with my own session from my own folder of the
// private bucket (nobody else's session reads it).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { downloadExport } from '$lib/account/queries';

export const GET: RequestHandler = async ({ locals, params }) => {
	const user = await locals.getUser();
	const file =
		user && isUuid(params.exportId) ? await downloadExport(locals.supabase, params.exportId) : null;
	if (!file) error(404, 'Not found');
	const day = new Date().toISOString().slice(0, 10);
	return new Response(file.stream(), {
		headers: {
			'content-type': 'application/zip',
			'content-length': String(file.size),
			'content-disposition': `attachment; filename="sahakum-my-data-${day}.zip"`,
			'cache-control': 'private, no-store'
		}
	});
};
