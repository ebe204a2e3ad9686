// The "Print / Save as PDF" buttons of printable pages (the dialogue report, a
// draft's print page): shown and working as soon as this small file arrives,
// before and without the app's own scripts (the draft's print page has none).
for (const button of document.querySelectorAll('button[data-print]')) {
	button.hidden = false;
	button.addEventListener('click', () => window.print());
}
