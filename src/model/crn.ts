/** The parts of an IBM Cloud CRN that this library reads. */
export interface ParsedCrn {
  readonly cname: string;
  readonly ctype: string;
  readonly serviceName: string;
  readonly location: string;
  readonly scope: string;
  readonly serviceInstance: string;
  readonly resourceType: string;
  readonly resource: string;
}

/** The service name in the CRN of every IKS and ROKS cluster. */
export const CLUSTER_SERVICE_NAME = 'containers-kubernetes';

/**
 * Splits a CRN into its ten segments
 * (`crn:v1:<cname>:<ctype>:<service-name>:<location>:<scope>:<service-instance>:<resource-type>:<resource>`),
 * or returns a sentence saying what is wrong with it.
 */
export function parseCrn(value: string): ParsedCrn | string {
  if (/\s/.test(value)) return 'a CRN contains no whitespace';
  const parts = value.split(':');
  if (parts.length !== 10) {
    return `a CRN has 10 ':'-separated segments (crn:v1:<cname>:<ctype>:<service-name>:<location>:<scope>:<service-instance>:<resource-type>:<resource>), this one has ${parts.length}`;
  }
  const [crn, version, cname, ctype, serviceName, location, scope, serviceInstance, resourceType, resource] = parts;
  if (crn !== 'crn' || version !== 'v1') return `a CRN starts with "crn:v1:"`;
  if (!cname || !ctype || !serviceName || !location) return 'a CRN names its cloud, type, service and location (segments 3 to 6 must not be empty)';
  return { cname, ctype, serviceName, location, scope, serviceInstance, resourceType, resource };
}
