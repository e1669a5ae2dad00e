import { Fn, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/** A DNS host name: dot-separated labels of letters, digits and hyphens (no leading or trailing hyphen), at most 253. */
const HOST_PATTERN = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
/** `https://<host>`, optionally with a trailing slash: the form of a packaging group's DomainName attribute. */
const HTTPS_URL_PATTERN = /^https:\/\/([^/?#:]+)\/?$/;

/**
 * The bare host of a packaging group's DomainName, which the service returns as `https://<host>`: element 2 of the
 * value split at '/' (`https:`, ``, `<host>`), done by CloudFormation for an attribute.
 */
export function hostOfDomainNameToken(domainName: string): string {
  return Fn.select(2, Fn.split('/', domainName));
}

/** What an imported group's domain name stands for: the URL (`domainName`) and the bare host (`egressDomain`). */
export interface ParsedEgressDomain {
  readonly domainName: string;
  readonly egressDomain: string;
}

/**
 * Parses the `domainName` given to an import: an https URL (`https://<host>`, what the service returns) or a bare host.
 * A Token is taken to be the URL (the attribute as the service returns it, e.g. imported from another stack).
 */
export function parseEgressDomain(scope: IConstruct, propertyPath: string, value: string): ParsedEgressDomain {
  if (Token.isUnresolved(value)) {
    return { domainName: value, egressDomain: hostOfDomainNameToken(value) };
  }
  const url = HTTPS_URL_PATTERN.exec(value);
  const host = url ? url[1] : value;
  if (!HOST_PATTERN.test(host)) {
    fail(scope, propertyPath, 'must be the https URL of the group\'s egress domain (https://<id>.egress.mediapackage-vod.'
      + '<region>.amazonaws.com, as MediaPackage returns it) or its host name, with no other scheme, port, path or query', value);
  }
  return { domainName: `https://${host}`, egressDomain: host };
}
