// use:enhance for forms that carry a file: check it, upload it straight to
// Storage with a progress bar, then send the form without the file (only its
// id). Without JavaScript the same form posts the file to the action itself.
// The upload code (./upload.ts, resumable uploads) loads only when a file is
// chosen or sent (`loadUploader`), not with the page.
import { m } from '$lib/paraglide/messages';
import type { SubmitFunction } from '@sveltejs/kit';
import type { Problems } from '$lib/ui/form';
import { checkFile, submittedFile } from './form';
import { objectPath } from './limits';

let uploader: Promise<typeof import('./upload')> | undefined;

/** The upload code, fetched once: when a file is chosen (FilePicker) or at the latest when it is sent. */
export const loadUploader = () =>
	(uploader ??= import('./upload').catch((error: unknown) => {
		uploader = undefined; // offline for a moment: try again on the next attempt
		throw error;
	}));

export class UploadState {
	pending = $state(false);
	/** Bytes sent and total while a file is on its way; null otherwise. */
	progress = $state<{ sent: number; total: number; attempt: number } | null>(null);
	problems = $state<Problems>({});
}

interface Options {
	spaceId: () => string | null;
	resourceId: () => string;
	/** Checks of the other fields, run before any data is spent. */
	validate?: (form: FormData) => Problems;
	/** Whether this submission carries a file (a link form does not). */
	carriesFile?: (form: FormData) => boolean;
}

export function uploadingSubmit(state: UploadState, options: Options): SubmitFunction {
	return async ({ formData, cancel }) => {
		const problems = options.validate?.(formData) ?? {};
		const file = submittedFile(formData);
		const carriesFile = options.carriesFile?.(formData) ?? true;
		const fileProblem = carriesFile ? checkFile(file) : null;
		if (fileProblem) problems.file = fileProblem;
		state.problems = problems;
		if (Object.keys(problems).length) {
			cancel();
			return;
		}
		state.pending = true;
		if (carriesFile && file) {
			const fileId = crypto.randomUUID();
			const path = objectPath(options.spaceId(), options.resourceId(), fileId);
			let code: typeof import('./upload') | undefined;
			try {
				code = await loadUploader();
				const { makeThumbnail, uploadToLibrary } = code;
				state.progress = { sent: 0, total: file.size, attempt: 1 };
				await uploadToLibrary(path, file, file.type, file.name, (progress) => (state.progress = progress));
				const thumb = await makeThumbnail(file);
				const withThumb =
					!!thumb &&
					(await uploadToLibrary(`${path}-thumb`, thumb, 'image/jpeg', file.name).then(
						() => true,
						() => false
					));
				formData.delete('file');
				formData.set('file_id', fileId);
				formData.set('file_name', file.name);
				formData.set('with_thumb', withThumb ? '1' : '');
			} catch (error) {
				state.problems = {
					file: code && error instanceof code.UploadRefused ? error.problem : m.error_network()
				};
				state.pending = false;
				state.progress = null;
				cancel();
				return;
			}
		}
		return async ({ update }) => {
			await update({ reset: false });
			state.pending = false;
			state.progress = null;
		};
	};
}
