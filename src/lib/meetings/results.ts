// Counts and averages of an evaluation form, and its CSV with translated
// headers (the questions are the creator's own words).
import { m } from '$lib/paraglide/messages';
import type { EvaluationResults, Question } from './queries';

export interface QuestionSummary {
	question: Question;
	answered: number;
	average: number | null;
	/** Per rating 1..5 or per choice, in order. */
	counts: { label: string; count: number }[];
	texts: string[];
}

export function summarise(questions: Question[], results: EvaluationResults): QuestionSummary[] {
	return questions.map((question) => {
		const values = results.rows.map((r) => r.answers[question.id]).filter((v) => v !== undefined && v !== '');
		const labels =
			question.kind === 'rating'
				? ['1', '2', '3', '4', '5']
				: question.kind === 'choice'
					? question.choices
					: [];
		const counts = labels.map((label) => ({
			label,
			count: values.filter((v) => String(v) === label).length
		}));
		const numbers = values.map(Number).filter((n) => Number.isFinite(n));
		return {
			question,
			answered: values.length,
			average:
				question.kind === 'rating' && numbers.length
					? Math.round((numbers.reduce((a, b) => a + b, 0) / numbers.length) * 10) / 10
					: null,
			counts,
			texts: question.kind === 'text' ? values.map(String) : []
		};
	});
}

const cell = (value: string | number | null | undefined) => {
	const text = value === undefined || value === null ? '' : String(value);
	// A leading =, +, - or @ would be read as a formula by a spreadsheet.
	const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function evaluationCsv(questions: Question[], results: EvaluationResults, anonymous: boolean): string {
	const header: string[] = [m.evaluation_csv_response(), ...(anonymous ? [] : [m.evaluation_csv_name()])];
	for (const q of questions) header.push(q.prompt);
	const lines = [header.map(cell).join(',')];
	results.rows.forEach((row, i) => {
		const values: (string | number | null | undefined)[] = [i + 1, ...(anonymous ? [] : [row.name])];
		for (const q of questions) values.push(row.answers[q.id]);
		lines.push(values.map(cell).join(','));
	});
	// A byte-order mark so spreadsheet programs read Vietnamese and Khmer as UTF-8.
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
