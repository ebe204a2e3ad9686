import type { RequestHandler } from './$types';
import { serveLibraryFile } from '$lib/library/files.server';

export const GET: RequestHandler = (event) => serveLibraryFile(event);
