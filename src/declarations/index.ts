// Identities declared as data: a platform repo's YAML or JSON file.
export * from './identities-from-data';
export * from './read-file';
export * from './workload';
export * from './schema';
