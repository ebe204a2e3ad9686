/**
 * On a slow phone a server-rendered page can be read, and typed into, seconds
 * before its scripts have started. When they start, Svelte's hydration sets
 * every field it renders from data back to the value the server sent, so a
 * search or a reply typed in those seconds would vanish.
 *
 * Called at the start of the root layout's script, before any field below it
 * is hydrated, this notes each field whose value differs from the one the
 * server sent (typed by the person, or restored by the browser on going back)
 * and each file input with a file chosen.
 * The function it returns, called once everything is hydrated (the root
 * layout's `onMount`, which runs after its children's), puts those values back
 * and fires the event a binding listens to, so counters, bindings and saved
 * drafts see them too. It does nothing after the first page: later pages are
 * rendered by the scripts themselves.
 */
export function keepTypedBeforeStart(): () => void {
	if (typeof document === 'undefined') return () => {};
	const putBack: Array<() => void> = [];
	for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
		'input, textarea, select'
	)) {
		if (field instanceof HTMLSelectElement) {
			const chosen = [...field.options].map((option) => option.selected);
			if (chosen.every((selected, i) => selected === field.options[i].defaultSelected)) continue;
			putBack.push(() => {
				if (chosen.every((selected, i) => field.options[i]?.selected === selected)) return;
				chosen.forEach((selected, i) => {
					if (field.options[i]) field.options[i].selected = selected;
				});
				field.dispatchEvent(new Event('change', { bubbles: true }));
			});
		} else if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
			const checked = field.checked;
			if (checked === field.defaultChecked) continue;
			putBack.push(() => {
				if (field.checked === checked) return;
				field.checked = checked;
				field.dispatchEvent(new Event('change', { bubbles: true }));
			});
		} else if (field instanceof HTMLInputElement && field.type === 'file') {
			// A file chosen already: the browser keeps it, the app is told.
			if (!field.files?.length) continue;
			putBack.push(() => field.dispatchEvent(new Event('change', { bubbles: true })));
		} else if (field.type !== 'hidden' && field.type !== 'password') {
			// A password is left alone: the browser's own autofill handles it, and it
			// is never rendered from data.
			const value = field.value;
			if (value === field.defaultValue) continue;
			putBack.push(() => {
				if (!field.isConnected || field.value === value) return;
				field.value = value;
				field.dispatchEvent(new Event('input', { bubbles: true }));
			});
		}
	}
	return () => putBack.splice(0).forEach((put) => put());
}
