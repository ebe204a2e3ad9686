// The secret ballot leaves no transaction-id link between a voter's row and
// her ballot (issue 25): cast_ballot() takes votes one at a time (the election
// row is locked) and rewrites all of the election's voter rows and ballots
// after each vote. Read here as the database owner, which is who could read
// xmin and ctid; members vote through supabase-js with their own sessions.
// Run on PostgreSQL too: `npx tsx scripts/lanes/postgres.ts meeting-ballots`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { countRows, createSpace, invitePerson, newId } from '../helpers/spaces';

let stack: TestStack;
let leader: Person;
let candidates: Person[];
let voters: Person[];
let spaceId: string;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** An election for one seat with the two candidates on the ballot, open now. */
async function openElection(): Promise<string> {
	const id = newId();
	const made = await leader.client.rpc('create_election', {
		p_id: id,
		p_space: spaceId,
		p_role: 'leader',
		p_seats: 1,
		p_title: 'Bầu trưởng nhóm',
		p_opens_at: inDays(1),
		p_closes_at: inDays(2)
	});
	expect(made.error).toBeNull();
	for (const c of candidates) {
		expect((await c.client.rpc('propose_candidate', { p_election: id, p_user: c.id })).error).toBeNull();
	}
	expect(
		(await leader.client.rpc('move_election_window', { p_election: id, p_step: 'open' })).error
	).toBeNull();
	return id;
}

const vote = (who: Person, election: string, candidate: Person) =>
	who.client.rpc('cast_ballot', { p_election: election, p_candidates: [candidate.id] });

const rows = (table: 'election_voters' | 'election_ballots', election: string) =>
	stack.sql<{ xmin: string; place: string; key: string }>(
		// In physical order (ctid itself, not its text: '(0,10)' sorts before '(0,2)').
		`select xmin::text as xmin, ctid::text as place, ${table === 'election_voters' ? 'user_id' : 'id'}::text as key
		   from public.${table} t where election_id = $1 order by t.ctid`,
		[election]
	);

beforeAll(async () => {
	stack = await startTestStack();
	leader = await signedInUser(stack, 'Le Leader');
	spaceId = await createSpace(leader);
	const people = await Promise.all(
		Array.from({ length: 12 }, (_, i) => signedInUser(stack, `Thành viên ${i + 1}`))
	);
	for (const p of people) await invitePerson(leader, p, spaceId, 'member');
	candidates = people.slice(0, 2);
	voters = people.slice(2);
}, 180_000);

afterAll(() => stack?.stop());

describe('the ballot keeps no xmin link', () => {
	it('after each vote every voter row and ballot of the election has the same xmin, with fresh ballot ids', async () => {
		const election = await openElection();
		let previousIds: string[] = [];
		for (const [i, who] of voters.slice(0, 3).entries()) {
			expect((await vote(who, election, candidates[i % 2])).error).toBeNull();
			const [v, b] = [await rows('election_voters', election), await rows('election_ballots', election)];
			expect(v).toHaveLength(i + 1);
			expect(b).toHaveLength(i + 1);
			const xmins = new Set([...v, ...b].map((r) => r.xmin));
			expect(xmins.size).toBe(1);
			// Every ballot got a new random id: none of the previous ids survives.
			const ids = b.map((r) => r.key);
			expect(ids.filter((id) => previousIds.includes(id))).toHaveLength(0);
			previousIds = ids;
		}
	});

	it('the physical order of the voter rows does not follow the order of the votes', async () => {
		// Eight voters one after another: stored in vote order by chance once in 8! = 40 320 runs.
		const election = await openElection();
		const order = voters.slice(0, 8);
		for (const [i, who] of order.entries()) {
			expect((await vote(who, election, candidates[i % 2])).error).toBeNull();
		}
		const stored = (await rows('election_voters', election)).map((r) => r.key);
		expect(stored).toHaveLength(8);
		expect(new Set(stored)).toEqual(new Set(order.map((p) => p.id)));
		expect(stored).not.toEqual(order.map((p) => p.id));
	});

	it('ten members voting at the same instant give ten voter rows and ten ballots, all with one xmin', async () => {
		const election = await openElection();
		const results = await Promise.all(voters.map((who, i) => vote(who, election, candidates[i % 2])));
		for (const r of results) expect(r.error).toBeNull();
		expect(
			await countRows(stack, 'select 1 from public.election_voters where election_id = $1', [election])
		).toBe(10);
		expect(
			await countRows(stack, 'select 1 from public.election_ballots where election_id = $1', [election])
		).toBe(10);
		const all = [...(await rows('election_voters', election)), ...(await rows('election_ballots', election))];
		expect(new Set(all.map((r) => r.xmin)).size).toBe(1);
		// Each of them, trying again at the same instant, is refused: still ten.
		const again = await Promise.all(voters.map((who) => vote(who, election, candidates[0])));
		for (const r of again) expect(r.error?.message).toContain('already_voted');
		expect(
			await countRows(stack, 'select 1 from public.election_ballots where election_id = $1', [election])
		).toBe(10);
		// The ballots are the choices made: five each.
		const totals = await stack.sql<{ candidate_id: string; n: number }>(
			'select candidate_id::text, count(*)::int as n from public.election_ballots where election_id = $1 group by 1',
			[election]
		);
		expect(totals.map((t) => t.n).sort()).toEqual([5, 5]);
	});
});
