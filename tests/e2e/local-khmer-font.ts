// A phone's own static Noto Sans Khmer, for the Khmer bold test: Debian's
// fonts-noto-core has the same static files Android ships (NotoSansKhmer-Regular.ttf,
// NotoSansKhmer-Bold.ttf). They are taken from the installed package when there is
// one, else from the package file fetched with `apt-get download` (as root with
// apt, as scripts/chromium.ts does for Chromium) and unpacked into a cache, never
// installed: other tests on the machine keep their fonts. A fontconfig file made
// per test makes exactly the chosen files "installed" for one Chromium.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const SYSTEM_DIR = '/usr/share/fonts/truetype/noto';
const CACHE = resolve('node_modules/.cache/sahakum-khmer-font');
const FILES = ['NotoSansKhmer-Regular.ttf', 'NotoSansKhmer-Bold.ttf'] as const;
export type KhmerFontFile = (typeof FILES)[number];

/** The cache directory holding both static files, or why they could not be had. */
export function staticKhmerFonts(): { dir: string } | { missing: string } {
	mkdirSync(CACHE, { recursive: true });
	if (FILES.every((file) => existsSync(join(CACHE, file)))) return { dir: CACHE };
	if (FILES.every((file) => existsSync(join(SYSTEM_DIR, file)))) {
		for (const file of FILES) copyFileSync(join(SYSTEM_DIR, file), join(CACHE, file));
		return { dir: CACHE };
	}
	if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
		return {
			missing: 'needs Debian’s fonts-noto-core (static Noto Sans Khmer): run as root with apt, or install it'
		};
	}
	const download = () =>
		execSync('apt-get download -qq fonts-noto-core', { cwd: CACHE, stdio: ['ignore', 'ignore', 'pipe'] });
	try {
		try {
			download();
		} catch {
			execSync('apt-get update -qq', { stdio: 'inherit' });
			download();
		}
		const deb = readdirSync(CACHE).find(
			(name) => name.startsWith('fonts-noto-core') && name.endsWith('.deb')
		);
		if (!deb) return { missing: 'apt-get download fonts-noto-core left no package file' };
		const members = FILES.map((file) => `.${SYSTEM_DIR}/${file}`).join(' ');
		execSync(`dpkg-deb --fsys-tarfile ${deb} | tar -x --strip-components=6 ${members}`, { cwd: CACHE });
		rmSync(join(CACHE, deb));
	} catch (error) {
		return { missing: `could not fetch Debian's fonts-noto-core with apt: ${(error as Error).message}` };
	}
	return FILES.every((file) => existsSync(join(CACHE, file)))
		? { dir: CACHE }
		: { missing: 'fonts-noto-core has no static Noto Sans Khmer' };
}

/**
 * A fontconfig file under `workDir`: the machine's fonts, less any system Noto
 * (so the result does not depend on what this machine has), plus `files`.
 */
export function fontconfigWith(workDir: string, fontsDir: string, files: readonly KhmerFontFile[]): string {
	const dir = join(workDir, 'fonts');
	mkdirSync(dir, { recursive: true });
	for (const file of files) copyFileSync(join(fontsDir, file), join(dir, file));
	const config = join(workDir, 'fonts.conf');
	writeFileSync(
		config,
		`<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>${SYSTEM_DIR}/*</glob></rejectfont></selectfont>
  <dir>${dir}</dir>
  <cachedir>${join(workDir, 'cache')}</cachedir>
</fontconfig>
`
	);
	return config;
}
