import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { spaceForMember } from '$lib/spaces/queries';
import { spaceExport } from '$lib/programme/export.server';

// The space's own export, for its facilitators only (anyone else: the reason, in words).
export const GET: RequestHandler = async ({ locals, params }) => {
	const space = isUuid(params.spaceId) ? await spaceForMember(locals.supabase, params.spaceId) : null;
	if (space?.myRole !== 'facilitator')
		return new Response(m.programme_error_export_not_allowed(), {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' }
		});
	const zip = await spaceExport(locals.supabase, space.id);
	return new Response(zip as unknown as BodyInit, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="space-export-${space.id.slice(0, 8)}-${new Date().toISOString().slice(0, 10)}.zip"`,
			'cache-control': 'private, no-store'
		}
	});
};
