// use:enhance with a pending flag and no reset of what people typed.
import type { SubmitFunction } from '@sveltejs/kit';

export function pendingSubmit(setPending: (pending: boolean) => void): SubmitFunction {
	return () => {
		setPending(true);
		return async ({ update }) => {
			await update({ reset: false });
			setPending(false);
		};
	};
}

/** use:enhance that keeps what people typed on the page after the action. */
export const keepTyped: SubmitFunction =
	() =>
	async ({ update }) =>
		update({ reset: false });
