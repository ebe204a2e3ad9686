import { describe, expect, it } from 'vitest';
import { buildOnePerTask } from './one-per-task';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('buildOnePerTask', () => {
	it('builds one per task, in the order asked, none in the task that asked', async () => {
		const built: string[] = [];
		for (const name of ['first', 'second', 'third']) buildOnePerTask(() => built.push(name));
		expect(built).toEqual([]);
		await nextTask();
		expect(built).toEqual(['first']);
		await nextTask();
		expect(built).toEqual(['first', 'second']);
		await nextTask();
		expect(built).toEqual(['first', 'second', 'third']);
	});

	it('builds a section at once when someone reaches for it, and never twice', async () => {
		const built: string[] = [];
		buildOnePerTask(() => built.push('first'));
		const second = buildOnePerTask(() => built.push('second'));
		buildOnePerTask(() => built.push('third'));
		second.now();
		expect(built).toEqual(['second']);
		second.now();
		for (let i = 0; i < 4; i++) await nextTask();
		expect(built).toEqual(['second', 'first', 'third']);
	});

	it('leaves out a section that went away before its turn', async () => {
		const built: string[] = [];
		const gone = buildOnePerTask(() => built.push('gone'));
		buildOnePerTask(() => built.push('kept'));
		gone.cancel();
		gone.now();
		await nextTask();
		expect(built).toEqual(['kept']);
	});
});
