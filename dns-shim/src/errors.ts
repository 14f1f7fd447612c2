import { createErrorCatalogue } from '@meshplug/plugin-api';

/** Errors raised by dns-shim. DNS failures themselves are answered as RCODEs, never thrown to clients. */
export const DnsShimErrors = createErrorCatalogue({
  DNS_ERR_INVALID_OPTIONS: { statusCode: 500, message: 'invalid dns-shim options' },
  DNS_ERR_INVALID_TABLE: { statusCode: 422, message: 'invalid DNS table' },
  DNS_ERR_STATE_FILE: { statusCode: 500, message: 'cannot read the dns-shim state file' },
  DNS_ERR_LISTEN: { statusCode: 500, message: 'cannot listen' },
  DNS_ERR_UPSTREAM_TIMEOUT: { statusCode: 504, message: 'upstream DNS did not answer in time' },
  DNS_ERR_UPSTREAM_FAILED: { statusCode: 502, message: 'upstream DNS exchange failed' },
  DNS_ERR_NO_UPSTREAM: { statusCode: 503, message: 'no upstream DNS server configured' },
  DNS_ERR_NOT_READY: { statusCode: 503, message: 'dns-shim is not ready' },
  DNS_ERR_NOT_FOUND: { statusCode: 404, message: 'no such endpoint' },
});
