import { createErrorCatalogue } from './mesh-error.js';

/** Errors raised by plugin-api: validation, option parsing and the DISCOVER_URL client. */
export const PluginApiErrors = createErrorCatalogue({
  API_ERR_INVALID_OBJECT: { statusCode: 422, message: 'invalid object' },
  API_ERR_INVALID_OPTION: { statusCode: 422, message: 'invalid option value' },
  API_ERR_INVALID_CLIENT_OPTIONS: { statusCode: 500, message: 'invalid DiscoverClient options' },
  API_ERR_DISCOVER_HTTP: { statusCode: 502, message: 'discover-service answered with an error' },
  API_ERR_DISCOVER_UNREACHABLE: { statusCode: 503, message: 'discover-service is unreachable' },
  API_ERR_INJECT_REFUSED: { statusCode: 400, message: 'injection refused' },
});
