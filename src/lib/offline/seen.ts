/** How many items this tab last saw waiting in the outbox (read synchronously when signing out). */
export const outboxSeen = { waiting: 0 };
