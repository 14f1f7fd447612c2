import { createErrorCatalogue } from '@meshplug/plugin-api';

/** The one error catalogue of discover-service; every error it throws or answers comes from here. */
export const DiscoverErrors = createErrorCatalogue({
  DISC_ERR_NOT_FOUND: { statusCode: 404, message: 'not found' },
  DISC_ERR_BAD_REQUEST: { statusCode: 400, message: 'bad request' },
  DISC_ERR_NO_ROUTE: { statusCode: 404, message: 'no such route' },
  DISC_ERR_INTERNAL: { statusCode: 500, message: 'internal error' },
  DISC_ERR_INVALID_SERVER_OPTIONS: { statusCode: 500, message: 'invalid server options' },
  DISC_ERR_INVALID_RESOLVER_OPTIONS: { statusCode: 500, message: 'invalid resolver options' },
  DISC_ERR_INVALID_SOURCE_OPTIONS: { statusCode: 500, message: 'invalid source options' },
  DISC_ERR_SOURCE_FAILED: { statusCode: 503, message: 'source failed' },
  DISC_ERR_UNRESOLVABLE: { statusCode: 409, message: 'the objects cannot be resolved into a config' },
  DISC_ERR_KUBE_INVALID_OPTIONS: { statusCode: 500, message: 'invalid kube source options' },
  DISC_ERR_KUBE_CONFIG: { statusCode: 500, message: 'cannot load the Kubernetes client configuration' },
  DISC_ERR_KUBE_STOPPED: { statusCode: 503, message: 'kube source stopped' },
  DISC_ERR_NOT_READY: { statusCode: 503, message: 'not ready' },
  DISC_ERR_LISTEN_FAILED: { statusCode: 500, message: 'cannot listen' },
  DISC_ERR_SERVER_UNREACHABLE: { statusCode: 503, message: 'cannot reach discover-service' },
  DISC_ERR_SERVER_ANSWER: { statusCode: 502, message: 'discover-service answered with an error' },
  DISC_ERR_DEMO_INVALID_OPTIONS: { statusCode: 500, message: 'invalid demo options' },
  DISC_ERR_DEMO_NOT_READY: { statusCode: 503, message: 'a demo process did not become ready' },
  DISC_ERR_DEMO_CHILD_EXITED: { statusCode: 500, message: 'a demo process exited' },
  DISC_ERR_DEMO_TRAFFIC: { statusCode: 502, message: 'demo traffic failed' },
  DISC_ERR_DEMO_ABORTED: { statusCode: 499, message: 'demo stopped' },
  DISC_ERR_INJECT_AMBIGUOUS: { statusCode: 409, message: 'the pod matches several components' },
  DISC_ERR_INJECT_BAD_INPUT: { statusCode: 400, message: 'cannot inject' },
  DISC_ERR_DASHBOARD_NOT_BUILT: { statusCode: 503, message: 'the dashboard is not built' },
});
