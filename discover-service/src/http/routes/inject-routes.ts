import type { FastifyInstance } from 'fastify';
import type { PodInjector } from '../../inject/pod-injector.js';
import { reviewAdmission } from '../../inject/admission-review.js';
import { errorBodySchema } from '../schemas/ops-schemas.js';

const admissionReviewSchema = {
  type: 'object',
  description: 'admission.k8s.io/v1 AdmissionReview',
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    request: { type: 'object' },
    response: { type: 'object' },
  },
} as const;

/** `POST /v1/inject`: the mutating admission webhook for pods. */
export function injectRoutes(injector: PodInjector) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/inject',
      {
        // Pod specs with many containers and env can be large; the API server's own limit is 3 MiB.
        bodyLimit: 3 * 1024 * 1024,
        schema: {
          summary: 'Mutating admission webhook: adds the component plugins to a pod (JSONPatch)',
          tags: ['config'],
          body: admissionReviewSchema,
          response: { 200: admissionReviewSchema, 400: errorBodySchema },
        },
      },
      async (request) => reviewAdmission(injector, request.body),
    );
  };
}
