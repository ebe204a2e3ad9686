// The confidential line's calls, as the signed-in person: the tables answer
// nobody through the API; these functions check the caller themselves
// (supabase/schemas/concerns.sql).
import type { Client } from '$lib/supabase/types';
import type { ConcernStatus } from './limits';

export interface Concern {
	id: string;
	space_id: string;
	space_name: string;
	anonymous: boolean;
	/** The sender's name, for facilitators and only when not anonymous. */
	sender: string | null;
	body: string;
	status: ConcernStatus;
	created_at: string;
	acknowledged_at: string | null;
	messages: {
		id: string;
		from_facilitator: boolean;
		body: string;
		created_at: string;
		author: string | null;
	}[];
}

export async function raiseConcern(
	supabase: Client,
	id: string,
	spaceId: string,
	body: string,
	anonymous: boolean
) {
	const { data, error } = await supabase.rpc('raise_concern', {
		p_id: id,
		p_space: spaceId,
		p_body: body,
		p_anonymous: anonymous
	});
	return { reference: (data as { reference: string | null } | null)?.reference ?? null, error };
}

export async function myConcerns(supabase: Client, spaceId: string): Promise<Concern[]> {
	const { data } = await supabase.rpc('my_concerns', { p_space: spaceId });
	return (data ?? []) as unknown as Concern[];
}

export async function concernByReference(supabase: Client, reference: string): Promise<Concern | null> {
	const { data } = await supabase.rpc('concern_by_reference', { p_reference: reference });
	return (data ?? null) as unknown as Concern | null;
}

export const addToConcern = (
	supabase: Client,
	id: string,
	target: { concernId: string } | { reference: string },
	body: string
) =>
	supabase.rpc('add_to_concern', {
		p_id: id,
		p_concern: 'concernId' in target ? target.concernId : (null as never),
		p_reference: 'reference' in target ? target.reference : (null as never),
		p_body: body
	});

export async function spaceConcerns(supabase: Client, spaceId: string): Promise<Concern[]> {
	const { data } = await supabase.rpc('space_concerns', { p_space: spaceId });
	return (data ?? []) as unknown as Concern[];
}

export const answerConcern = (
	supabase: Client,
	id: string,
	concernId: string,
	body: string,
	status: ConcernStatus | null
) =>
	supabase.rpc('answer_concern', {
		p_id: id,
		p_concern: concernId,
		p_body: body,
		p_status: status as ConcernStatus
	});

export async function openConcernCount(supabase: Client, spaceId: string): Promise<number | null> {
	const { data } = await supabase.rpc('open_concern_count', { p_space: spaceId });
	return typeof data === 'number' ? data : null;
}
