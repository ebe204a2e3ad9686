// What a 360 px phone needs from every page (issue 23): text big enough to
// read (nothing visible under 14 px), controls big enough to hit (44 × 44 px,
// links inside running text excepted, as WCAG 2.5.5 excepts them). Runs in the
// page; returns one line per element that falls short.
import type { Page } from '@playwright/test';

export const MIN_TEXT_PX = 14;
export const MIN_TARGET_PX = 44;

export function phoneFitProblems(page: Page): Promise<string[]> {
	return page.evaluate(
		([minText, minTarget]) => {
			const problems: string[] = [];
			const describe = (element: Element) => {
				const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
				const name = element.getAttribute('aria-label') ?? element.getAttribute('name') ?? '';
				return `<${element.tagName.toLowerCase()}${element.className ? ` class="${String(element.className)}"` : ''}> ${text || name}`;
			};
			// Shown to a sighted reader: laid out, not clipped away for screen readers only.
			const shown = (element: Element) => {
				if (
					element.closest(
						'[hidden], [aria-hidden="true"], template, noscript, details:not([open]) > :not(summary)'
					)
				)
					return false;
				const box = element.getBoundingClientRect();
				if (box.width < 2 || box.height < 2) return false;
				const style = getComputedStyle(element);
				return style.visibility !== 'hidden' && style.display !== 'none' && style.opacity !== '0';
			};

			const checked = new Set<Element>();
			const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			while (walker.nextNode()) {
				const element = walker.currentNode.parentElement;
				if (!element || checked.has(element) || !walker.currentNode.textContent?.trim()) continue;
				checked.add(element);
				if (!shown(element) || element.closest('svg')) continue;
				const size = parseFloat(getComputedStyle(element).fontSize);
				if (size < minText) problems.push(`text ${size.toFixed(1)} px: ${describe(element)}`);
			}

			// A link is running text when the block around it says more than the link.
			const inRunningText = (link: Element) => {
				let block = link.parentElement;
				while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
				if (!block) return false;
				const around = (block.textContent ?? '').replace(/\s+/g, ' ').trim().length;
				const own = (link.textContent ?? '').replace(/\s+/g, ' ').trim().length;
				return around > own + 2;
			};
			const controls = document.querySelectorAll(
				'button, summary, select, textarea, input:not([type=hidden]), a[href], [role=button], label.button'
			);
			for (const control of controls) {
				// A checkbox or radio is hit through its label, which wraps or names it.
				// (A file input hidden behind its translated button is hit through the button, checked below.)
				const target =
					control instanceof HTMLInputElement && ['checkbox', 'radio'].includes(control.type)
						? (control.closest('label') ??
							(control.id ? document.querySelector(`label[for="${control.id}"]`) : null) ??
							control)
						: control;
				if (!shown(target)) continue;
				if (control.tagName === 'A' && inRunningText(control)) continue;
				const box = target.getBoundingClientRect();
				if (box.width < minTarget - 0.5 || box.height < minTarget - 0.5)
					problems.push(`target ${Math.round(box.width)}×${Math.round(box.height)}: ${describe(target)}`);
			}
			return problems;
		},
		[MIN_TEXT_PX, MIN_TARGET_PX]
	);
}
