// What plugin code sees: the operation ctx types, errors and plugin registration.
export {};
