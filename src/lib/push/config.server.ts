// The VAPID public key reaches the browser (pushManager.subscribe needs it);
// the private key and the secret key stay with the worker (worker.server.ts).
import { env } from '$env/dynamic/private';

export const vapidPublicKey = (): string | null => env.VAPID_PUBLIC_KEY || null;
