/**
 * The Checkov and Trivy ids each rule corresponds to, read from the scanners' sources
 * (Checkov 3.3.13, trivy-checks 2.2): SARIF lists them in each rule's properties.
 *
 * `sameAs` is narrower: the ids whose check is the same as the rule's, so that an inline
 * `#checkov:skip=ID:reason` in a resource block (or the same id under the resource's `//` key
 * in JSON, which is where this project writes its own) also suppresses the rule on that
 * resource (inline-suppressions.ts): one written reason for every scanner. A scanner id that
 * checks something wider or narrower is not in `sameAs`: skipping it must not hide a finding
 * of ours it does not cover (CKV_AWS_355 flags the ENI actions VLD021 allows; a skip written
 * for them must not hide an `s3:*` on `*` that VLD021 reports).
 */

/** A rule's ids in the scanners. */
export interface ScannerIds {
  readonly checkov?: readonly string[];
  readonly trivy?: readonly string[];
  /** Ids whose inline suppression suppresses this rule too (the same check). */
  readonly sameAs?: readonly string[];
}

/** By rule id. */
export const SCANNER_IDS: Readonly<Record<string, ScannerIds>> = {
  // VPC has a flow log: CKV2_AWS_11, aws-ec2-require-vpc-flow-logs-for-all-vpcs. Ours also wants traffic_type ALL.
  VLD001: { checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'] },
  // CKV_AWS_66 "specifies retention days" passes 0 (never expire), which VLD002 fails; CKV_AWS_338 wants a year.
  VLD002: { checkov: ['CKV_AWS_66'] },
  // CKV_AWS_63: "*" as a statement's action; VLD003 also fails dynamodb:* and dynamodb:Put*.
  VLD003: { checkov: ['CKV_AWS_63'] },
  VLD005: { checkov: ['CKV_AWS_17'], trivy: ['AVD-AWS-0180'], sameAs: ['CKV_AWS_17', 'AVD-AWS-0180'] },
  VLD006: { checkov: ['CKV_AWS_16'], trivy: ['AVD-AWS-0080'], sameAs: ['CKV_AWS_16', 'AVD-AWS-0080'] },
  // CKV2_AWS_12: the default security group restricts all traffic (and must be managed).
  VLD009: { checkov: ['CKV2_AWS_12'], sameAs: ['CKV2_AWS_12'] },
  VLD012: { checkov: ['CKV_AWS_293'], trivy: ['AVD-AWS-0177'], sameAs: ['CKV_AWS_293', 'AVD-AWS-0177'] },
  // CKV_AWS_133 passes an unset period; Trivy wants 2 days or more; VLD013 wants it set, at least 1.
  VLD013: { checkov: ['CKV_AWS_133'], trivy: ['AVD-AWS-0077'] },
  VLD014: { checkov: ['CKV_AWS_161'], trivy: ['AVD-AWS-0176'], sameAs: ['CKV_AWS_161', 'AVD-AWS-0176'] },
  // CKV_AWS_129 accepts any export; VLD015 wants the engine's main log (postgresql).
  VLD015: { checkov: ['CKV_AWS_129'] },
  VLD016: { checkov: ['CKV_AWS_353'], trivy: ['AVD-AWS-0133'], sameAs: ['CKV_AWS_353', 'AVD-AWS-0133'] },
  // CKV_AWS_226 also fails an unset value (AWS's default is true); VLD017 fails only false.
  VLD017: { checkov: ['CKV_AWS_226'] },
  VLD018: { checkov: ['CKV_AWS_28'], trivy: ['AVD-AWS-0024'], sameAs: ['CKV_AWS_28', 'AVD-AWS-0024'] },
  // CKV_AWS_119 and AVD-AWS-0025 want a customer managed key; VLD019 passes the AWS managed one.
  VLD019: { checkov: ['CKV_AWS_119'], trivy: ['AVD-AWS-0025'] },
  VLD020: { checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'], sameAs: ['CKV_AWS_158', 'AVD-AWS-0017'] },
  // CKV_AWS_355/CKV_AWS_290 also flag ec2:CreateNetworkInterface on "*", which VLD021 allows.
  VLD021: { checkov: ['CKV_AWS_355', 'CKV_AWS_290'] },
  // AVD-AWS-0104: any egress to 0.0.0.0/0 or ::/0; CKV_AWS_382 only all ports.
  VLD022: { checkov: ['CKV_AWS_382'], trivy: ['AVD-AWS-0104'], sameAs: ['AVD-AWS-0104'] },
  VLD024: { checkov: ['CKV_AWS_258'], sameAs: ['CKV_AWS_258'] },
};

/** The rules an inline suppression of this scanner id also suppresses (`CKV_AWS_158` -> `VLD020`). */
export function rulesSuppressedBy(id: string): string[] {
  return Object.entries(SCANNER_IDS)
    .filter(([, ids]) => (ids.sameAs ?? []).includes(id))
    .map(([rule]) => rule);
}
