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

/**
 * use:enhance for a form that adds something (a comment, a reply): once the
 * server has it the box is emptied, the form gets a new client-made id (the
 * old one would make the next text a replay of this one) and `sent` is
 * called, so the page can say so; when it was refused, what was typed stays.
 */
export function clearWhenSent(sent: () => void): SubmitFunction {
	return ({ formElement }) =>
		async ({ result, update }) => {
			await update({ reset: false });
			if (result.type !== 'success') return;
			formElement.reset();
			const id = formElement.querySelector<HTMLInputElement>('input[name=id]');
			if (id) id.value = crypto.randomUUID();
			sent();
		};
}
