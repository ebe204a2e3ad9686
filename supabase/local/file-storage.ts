// Storage objects for the local stack, kept as files under one directory.
// lite's CLI ships a similar adapter but does not export it, and it derives
// the content type from the file extension; hosted Storage keeps the type the
// uploader sent, so this one stores it beside the object. Keys are confined to
// the base directory (a crafted `../` key cannot escape it).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Stats } from 'node:fs';

type Body = ReadableStream<Uint8Array> | Buffer | Uint8Array;
interface Metadata {
	cacheControl: string;
	contentLength: number;
	size: number;
	mimetype: string;
	lastModified?: Date;
	eTag: string;
	contentRange?: string;
	httpStatusCode?: number;
}
interface Sidecar {
	mimetype: string;
	cacheControl: string;
	eTag: string;
}

export class FileStorageAdapter {
	readonly driver = fs;
	readonly basePath: string;

	constructor(basePath: string) {
		this.basePath = resolve(basePath);
	}

	private filePath(bucket: string, key: string): string {
		const path = resolve(this.basePath, bucket, key);
		if (!path.startsWith(this.basePath + sep)) throw new Error('Invalid object key');
		return path;
	}

	private async sidecar(path: string, stat: Stats): Promise<Sidecar> {
		try {
			return JSON.parse(await fs.readFile(`${path}.__meta.json`, 'utf8')) as Sidecar;
		} catch {
			return {
				mimetype: 'application/octet-stream',
				cacheControl: 'no-cache',
				eTag: `"${stat.mtimeMs}"`
			};
		}
	}

	private metadata(stat: Stats, meta: Sidecar): Metadata {
		return {
			cacheControl: meta.cacheControl,
			contentLength: stat.size,
			size: stat.size,
			mimetype: meta.mimetype,
			lastModified: stat.mtime,
			eTag: meta.eTag
		};
	}

	async getObject(
		bucket: string,
		key: string,
		_version: string | undefined,
		headers?: { ifNoneMatch?: string; ifModifiedSince?: string; range?: string }
	) {
		const path = this.filePath(bucket, key);
		const stat = await fs.stat(path);
		const meta = await this.sidecar(path, stat);
		const metadata = this.metadata(stat, meta);
		if (headers?.ifNoneMatch === meta.eTag) return { httpStatusCode: 304, metadata };
		const range = headers?.range?.match(/^bytes=(\d+)-(\d*)$/);
		if (range) {
			const start = Number(range[1]);
			const end = range[2] ? Math.min(Number(range[2]), stat.size - 1) : stat.size - 1;
			const handle = await fs.open(path, 'r');
			const buffer = Buffer.alloc(Math.max(0, end - start + 1));
			await handle.read(buffer, 0, buffer.length, start);
			await handle.close();
			return {
				httpStatusCode: 206,
				metadata: {
					...metadata,
					contentLength: buffer.length,
					contentRange: `bytes ${start}-${end}/${stat.size}`
				},
				body: buffer
			};
		}
		return { httpStatusCode: 200, metadata, body: await fs.readFile(path) };
	}

	async uploadObject(
		bucket: string,
		key: string,
		_version: string | undefined,
		body: Body,
		contentType: string,
		cacheControl: string
	): Promise<Metadata> {
		const path = this.filePath(bucket, key);
		await fs.mkdir(dirname(path), { recursive: true });
		const data = body instanceof Uint8Array ? body : await readAll(body);
		const eTag = `"${createHash('md5').update(data).digest('hex')}"`;
		await fs.writeFile(path, data);
		const meta: Sidecar = { mimetype: contentType, cacheControl, eTag };
		await fs.writeFile(`${path}.__meta.json`, JSON.stringify(meta));
		return this.metadata(await fs.stat(path), meta);
	}

	async deleteObject(bucket: string, key: string): Promise<void> {
		const path = this.filePath(bucket, key);
		await Promise.all([fs.rm(path, { force: true }), fs.rm(`${path}.__meta.json`, { force: true })]);
	}

	async deleteObjects(bucket: string, keys: string[]): Promise<void> {
		for (const key of keys) await this.deleteObject(bucket, key);
	}

	async copyObject(
		sourceBucket: string,
		source: string,
		_version: string | undefined,
		destinationBucket: string,
		destination: string
	) {
		const from = this.filePath(sourceBucket, source);
		const to = this.filePath(destinationBucket, destination);
		await fs.mkdir(dirname(to), { recursive: true });
		await fs.copyFile(from, to);
		await fs.copyFile(`${from}.__meta.json`, `${to}.__meta.json`).catch(() => undefined);
		const stat = await fs.stat(to);
		const meta = await this.sidecar(to, stat);
		return { httpStatusCode: 200, eTag: meta.eTag, lastModified: stat.mtime };
	}

	async headObject(bucket: string, key: string): Promise<Metadata> {
		const path = this.filePath(bucket, key);
		const stat = await fs.stat(path);
		return this.metadata(stat, await this.sidecar(path, stat));
	}

	privateAssetUrl(bucket: string, key: string): Promise<string> {
		// In the executor, filePath's throw (a bad key) becomes a rejection, as in the other methods.
		return new Promise((done) => done(`file://${join(this.filePath(bucket, key))}`));
	}
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
	const chunks: Uint8Array[] = [];
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}
