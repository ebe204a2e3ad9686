// Sums a V8 CPU profile (.cpuprofile, from --cpu-prof or scripts/bench/page-profile.ts) by where the time went:
// self time per function and per package or source file, the top rows of each.
// `npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [rows]`
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

// Self time per node: each sample's time goes to the node that was running.
// Idle is not work (a browser page's profile is mostly waiting for the network).
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => {
	if (byId.get(id)?.callFrame.functionName === '(idle)') return;
	selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package> (scoped too), or the file under the project, or V8's own (GC, idle, program). */
function placeOf(url: string): string {
	if (!url) return '(V8: native, GC)';
	const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
	if (modules) return modules[1];
	if (url.startsWith('node:')) return url;
	if (/^https?:/.test(url)) return new URL(url).pathname; // a page's script (scripts/bench/page-profile.ts)
	return url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, ms] of selfMs) {
	const { callFrame } = byId.get(id)!;
	const place = placeOf(callFrame.url);
	const name = `${callFrame.functionName || '(anonymous)'}  ${place}:${callFrame.lineNumber + 1}`;
	byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
	byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
}

const top = (map: Map<string, number>) =>
	[...map]
		.sort((a, b) => b[1] - a[1])
		.slice(0, rows)
		.map(
			([name, ms]) =>
				`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`
		)
		.join('\n');

console.log(`${file}: ${total.toFixed(0)} ms sampled\n\nBy package or file (self time):\n${top(byPlace)}`);
console.log(`\nBy function (self time):\n${top(byFunction)}`);
