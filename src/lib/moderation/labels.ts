// Names of report reasons and audit entries in the reader's language (called
// by name, so a page carries only the messages it shows).
import { m } from '$lib/paraglide/messages';
import type { ReportReason } from './limits';

export function reasonLabel(reason: ReportReason): string {
	switch (reason) {
		case 'harassment':
			return m.report_reason_harassment();
		case 'personal_info':
			return m.report_reason_personal_info();
		case 'misleading':
			return m.report_reason_misleading();
		case 'spam':
			return m.report_reason_spam();
		case 'other':
			return m.report_reason_other();
	}
}

export function auditLabel(action: string): string {
	switch (action) {
		case 'role_changed':
			return m.audit_role_changed();
		case 'member_removed':
			return m.audit_member_removed();
		case 'invite_created':
			return m.audit_invite_created();
		case 'invite_cancelled':
			return m.audit_invite_cancelled();
		case 'dialogue_invite_created':
			return m.audit_dialogue_invite_created();
		case 'dialogue_invite_cancelled':
			return m.audit_dialogue_invite_cancelled();
		case 'guest_muted':
			return m.audit_guest_muted();
		case 'guest_unmuted':
			return m.audit_guest_unmuted();
		case 'guest_removed':
			return m.audit_guest_removed();
		case 'post_removed':
			return m.audit_post_removed();
		case 'post_hidden':
			return m.audit_post_hidden();
		case 'post_restored':
			return m.audit_post_restored();
		case 'reports_dismissed':
			return m.audit_reports_dismissed();
		case 'author_warned':
			return m.audit_author_warned();
		case 'author_muted':
			return m.audit_author_muted();
		case 'limits_lifted':
			return m.audit_limits_lifted();
		case 'elections_published':
			return m.audit_elections_published();
		default:
			return action;
	}
}
