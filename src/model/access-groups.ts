import { ProblemCollector } from './errors';

/**
 * An IAM access group ID, as the IAM console and `ibmcloud iam access-group <name> --id` show it:
 * "AccessGroup-" and an opaque ID (letters, digits, "-"). IBM documents no stricter form.
 */
export const ACCESS_GROUP_ID = /^AccessGroup-[0-9A-Za-z][0-9A-Za-z-]{7,63}$/;

/** @internal */
export function resolveAccessGroups(problems: ProblemCollector, input: unknown): string[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('accessGroups', input, 'accessGroups is a list of access group IDs, e.g. ["AccessGroup-0123456789abcdef0123456789abcdef"]');
    return [];
  }
  const seen = new Map<string, number>();
  input.forEach((id: unknown, i) => {
    if (typeof id !== 'string' || !ACCESS_GROUP_ID.test(id)) {
      problems.add(`accessGroups[${i}]`, id, 'an access group ID is "AccessGroup-" and the group\'s ID (letters, digits, "-"); copy it from `ibmcloud iam access-group <name> --id` (names are not IDs)');
    } else if (seen.has(id)) {
      problems.add(`accessGroups[${i}]`, id, `accessGroups[${seen.get(id)}] is the same group; list each group once`);
    } else {
      seen.set(id, i);
    }
  });
  return [...new Set(input.filter((id): id is string => typeof id === 'string'))].sort();
}
