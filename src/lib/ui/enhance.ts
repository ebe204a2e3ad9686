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
