// The operation worker: consumes operation tasks, runs plugin operations, replies.
export {};
