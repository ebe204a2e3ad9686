// What SvelteKit's `$env/dynamic/public` gives the app at run time: the
// process's PUBLIC_ variables, read when asked (tests set them per stack).
export const env = new Proxy(
	{},
	{
		get: (_, name) => (typeof name === 'string' && name.startsWith('PUBLIC_') ? process.env[name] : undefined)
	}
);
