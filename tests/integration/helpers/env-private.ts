// What SvelteKit's `$env/dynamic/private` gives the app at run time: the
// process's other variables, read when asked (tests set them per stack).
export const env = new Proxy(
	{},
	{
		get: (_, name) =>
			typeof name === 'string' && !name.startsWith('PUBLIC_') ? process.env[name] : undefined
	}
);
