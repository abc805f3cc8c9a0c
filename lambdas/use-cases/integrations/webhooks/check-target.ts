import { WebhookTargetError } from '../../../domain/errors';
import {
  chooseTargetAddress,
  type HostResolver,
  isIpAddress,
  parseWebhookTarget,
  type TargetPolicy,
} from '../../../domain/integrations/webhook-target';

/** A target that passed every check, with the address to connect to. */
export interface CheckedTarget {
  readonly url: URL;
  readonly address: string;
}

/**
 * Checks a webhook's target URL and resolves its host, refusing the target
 * (WEBHOOK_TARGET_INVALID) when any address is not a public one. Run at
 * creation and before every delivery, whose request then goes to the
 * returned address: a host that resolves elsewhere later is checked again.
 */
export async function checkWebhookTarget(resolver: HostResolver, raw: string, policy: TargetPolicy): Promise<CheckedTarget> {
  const target = parseWebhookTarget(raw, policy);
  let addresses: string[];
  if (isIpAddress(target.host)) {
    addresses = [target.host];
  } else {
    try {
      addresses = await resolver.resolve(target.host);
    } catch (error) {
      throw new WebhookTargetError(`"${target.host}" does not resolve.`, { cause: error });
    }
  }
  return { url: target.url, address: chooseTargetAddress(target, addresses, policy) };
}
