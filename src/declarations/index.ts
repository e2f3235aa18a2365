// Identities declared as data: a platform repo's YAML or JSON file, parsed by the caller.
export * from './identities-from-data';
