export * from './workspaces.js';
export * from './inboxes.js';
export * from './contacts.js';
export * from './conversations.js';
export * from './canned-responses.js';
export * from './tags.js';
export * from './invites.js';
export * from './custom-fields.js';
