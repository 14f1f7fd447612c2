import { createErrorCatalogue } from './mesh-error.js';

/** Errors raised by plugin-api: validation, option parsing and the DISCOVER_URL client. */
export const PluginApiErrors = createErrorCatalogue({
  API_ERR_INVALID_OBJECT: { statusCode: 422, message: 'invalid object' },
  API_ERR_INVALID_OPTION: { statusCode: 422, message: 'invalid option value' },
  API_ERR_INVALID_CLIENT_OPTIONS: { statusCode: 500, message: 'invalid DiscoverClient options' },
  API_ERR_DISCOVER_HTTP: { statusCode: 502, message: 'discover-service answered with an error' },
  API_ERR_DISCOVER_UNREACHABLE: { statusCode: 503, message: 'discover-service is unreachable' },
  API_ERR_DISCOVER_ABORTED: { statusCode: 499, message: 'request to discover-service aborted' },
  API_ERR_WATCH_HANDLER: { statusCode: 500, message: 'watch update handler failed' },
  API_ERR_INJECT_REFUSED: { statusCode: 400, message: 'injection refused' },
  API_ERR_OUTER_PORTS: { statusCode: 422, message: 'cannot assign outer ports' },
  API_ERR_VIP_SPACE: { statusCode: 500, message: 'loopback VIP space exhausted' },
});
