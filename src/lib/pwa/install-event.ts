// Chrome may offer to install the app before the install invitation's code
// has loaded (it loads after the first paint): the root layout starts
// listening at once and keeps the offer here for the invitation to use.
let early: Event | null = null;

export function keepEarlyInstallOffer(): void {
	addEventListener(
		'beforeinstallprompt',
		(event) => {
			event.preventDefault(); // we choose the moment, not the browser
			early = event;
		},
		{ once: true }
	);
}

/** The offer made before the invitation loaded, if any (once). */
export function takeEarlyInstallOffer(): Event | null {
	const event = early;
	early = null;
	return event;
}
