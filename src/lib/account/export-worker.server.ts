// Downloads of people's data, built in the background of the Node server with
// the secret key (data_export_contents() and the worker's other RPCs are
// granted to service_role only, like the push worker's): the JSON of
// everything the person gave the app, and their files, in one zip stored in
// the private bucket "data-exports" under their own id, which only they read.
// The person asks with her own session (request_data_export) and downloads with
// it (/account/export/<id>); this worker never serves a request.
import { createClient } from '@supabase/supabase-js';
import { strToU8, zipSync, type Zippable } from 'fflate';
import ws from 'ws';
import type { Client } from '$lib/supabase/types';
import type { Database } from '$lib/supabase/database.types';

interface ExportFile {
	bucket: string;
	path: string;
	name: string;
}

/** A name that is safe inside a zip on any system. */
const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 120) || 'file';

/** Builds the oldest waiting download; false when none waits. */
export async function buildOneExport(service: Client): Promise<boolean> {
	const { data: claimed, error: claimError } = await service.rpc('claim_data_export', {
		p_lease_seconds: 600
	});
	if (claimError) throw claimError;
	const job = claimed?.[0];
	if (!job) return false;
	try {
		const { data: contents, error } = await service.rpc('data_export_contents', { p_user: job.user_id });
		if (error || !contents) throw error ?? new Error('no contents');
		const files = (contents as { files?: ExportFile[] }).files ?? [];
		const zip: Zippable = { 'sahakum-my-data.json': strToU8(JSON.stringify(contents, null, 2)) };
		const taken = new Set<string>();
		for (const file of files) {
			const { data: blob } = await service.storage.from(file.bucket).download(file.path);
			if (!blob) continue; // a file gone from storage: the JSON still lists it
			let name = `files/${safeName(file.name)}`;
			for (let n = 2; taken.has(name); n++) name = `files/${n}-${safeName(file.name)}`;
			taken.add(name);
			// Pictures, PDFs and office files are compressed already: stored as they are.
			zip[name] = [new Uint8Array(await blob.arrayBuffer()), { level: 0 }];
		}
		const zipped = zipSync(zip, { level: 6 });
		const path = `${job.user_id}/${job.id}.zip`;
		const stored = await service.storage
			.from('data-exports')
			.upload(path, zipped, { contentType: 'application/zip', upsert: true });
		if (stored.error) throw stored.error;
		await service.rpc('complete_data_export', { p_id: job.id, p_path: path, p_size: zipped.byteLength });
	} catch (failure) {
		const message = failure instanceof Error ? failure.message : JSON.stringify(failure);
		await service.rpc('complete_data_export', {
			p_id: job.id,
			p_path: null as never,
			p_size: null as never,
			p_error: message.slice(0, 500)
		});
	}
	return true;
}

let started = false;

export function startExportWorkerFromEnv(env: Record<string, string | undefined>): void {
	if (started || !env.PUBLIC_SUPABASE_URL || !env.SUPABASE_SECRET_KEY) return;
	started = true;
	const service = createClient<Database>(env.PUBLIC_SUPABASE_URL, env.SUPABASE_SECRET_KEY, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	let busy = false;
	const tick = async () => {
		if (busy) return;
		busy = true;
		try {
			while (await buildOneExport(service));
		} catch (error) {
			// supabase-js gives plain objects ({ message, code }), not Errors.
			const { message } = (error ?? {}) as { message?: unknown };
			console.log(`[exports] ${typeof message === 'string' ? message : String(error)}`);
		} finally {
			busy = false;
		}
	};
	const timer = setInterval(() => void tick(), Number(env.EXPORT_WORKER_INTERVAL_MS ?? 3000));
	timer.unref?.();
}
