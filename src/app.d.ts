import type { SupabaseClient, User } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';

declare global {
	namespace App {
		interface Locals {
			/** supabase-js acting as the person making this request (their session, RLS applies). */
			supabase: SupabaseClient<Database>;
			/** The signed-in person, validated with the auth server; null when signed out. */
			getUser(): Promise<User | null>;
			/**
			 * The person's auth user changed (her profile's name, kept in its
			 * metadata): the next getUser() asks the auth server again.
			 */
			userChanged(): Promise<void>;
		}
		interface PageData {
			user?: { id: string; email: string | null } | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
