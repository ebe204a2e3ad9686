// The programme capability's calls, as the person (their own session): the
// database decides who may see which figures (programme_figures() in
// supabase/schemas/programme.sql) and returns counts only.
import type { Client } from '$lib/supabase/types';
import type { SpaceKind, Language } from '$lib/vocabulary';
import { programmeProblem } from './problems';

/** A count; null is "fewer than 5" (hidden by the database to protect members). */
export type Count = number | null;

export interface Figure {
	/** The period's total; null when a small count would otherwise be read from it. */
	total: Count;
	/** By month (YYYY-MM-01); a month missing is 0. */
	months: Record<string, Count>;
	/** By status, stakeholder type, kind...; a part missing is 0. */
	breakdown: Record<string, Count>;
}

export type Figures = Partial<Record<string, Figure>>;

export interface SpaceFigures {
	id: string;
	name: string;
	kind: SpaceKind;
	sensitive: boolean;
	language: Language;
	figures: Figures;
}

export interface FiguresResult {
	period: { from: string; to: string; today: string; months: string[]; clamped: boolean };
	/** The families of figures the database counts (the keys of private.programme_figure_parts). */
	parts: string[];
	/** The network's own figures (network page only). */
	network: Figures | null;
	spaces: SpaceFigures[];
}

/**
 * Figures for the network (space null: programme officers) or one space
 * (officers, and its facilitators), in one call. A refusal comes back as a
 * translated problem and a status.
 */
export async function programmeFigures(
	supabase: Client,
	{ space, from, to }: { space: string | null; from: string; to: string }
): Promise<{ figures: FiguresResult; problem: null } | { figures: null; problem: string; status: number }> {
	const { data, error } = await supabase.rpc('programme_figures', {
		...(space ? { p_space: space } : {}),
		p_from: from,
		p_to: to
	});
	if (error || !data) {
		// A period refused is the form's to fix (400); anything else refuses the person (404).
		const status = /period_/.test(error?.message ?? '') ? 400 : 404;
		return { figures: null, problem: programmeProblem(error), status };
	}
	return { figures: data as unknown as FiguresResult, problem: null };
}

/** Am I a programme officer, and a curator (who grants the role)? */
export async function programmeStanding(supabase: Client): Promise<{ officer: boolean; curator: boolean }> {
	const { data } = await supabase.rpc('programme_standing');
	const standing = (data ?? {}) as { officer?: boolean; curator?: boolean };
	return { officer: standing.officer === true, curator: standing.curator === true };
}

/** For curators: the programme officers with their email and name. */
export async function officerList(supabase: Client) {
	const { data, error } = await supabase.rpc('programme_officer_list');
	if (error) throw error;
	return data ?? [];
}

/** A curator makes the account with this email a programme officer. */
export async function grantProgrammeRole(supabase: Client, email: string) {
	const { error } = await supabase.rpc('grant_programme_role', { p_email: email });
	return error ? programmeProblem(error) : null;
}

/** A curator takes the role back (the policy on programme_officers decides). */
export async function takeBackProgrammeRole(supabase: Client, userId: string) {
	const { data, error } = await supabase
		.from('programme_officers')
		.delete()
		.eq('user_id', userId)
		.select('user_id');
	if (error) return programmeProblem(error);
	return data?.length ? null : programmeProblem({ code: '', message: 'not_allowed' });
}
