import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built-in plugin version, as installed by manifests/base. */
export const pluginYaml = readFileSync(fileURLToPath(new URL('../../../manifests/base/plugin-net-governance.yaml', import.meta.url)), 'utf8').replace(
  'metadata:\n',
  'metadata:\n  namespace: meshplug-system\n',
);

/** A web Deployment whose Service targets a numeric port, a tomcat dependency, and web's component. */
export const appYaml = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: web:1
          env: [{ name: SHARED, value: "1" }]
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: db:1, ports: [{ containerPort: 5432 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: tomcat, namespace: shop }
spec:
  selector: { app: tomcat }
  ports: [{ name: http, port: 8080, targetPort: http }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: component-web, namespace: shop, labels: { mesh.io/component: web } }
data:
  component.yaml: |
    dependencies: [tomcat]
    plugins:
      - name: net-governance
        version: "1.0.0"
        enabled: true
        values: { normal: { LOG_LEVEL: debug } }
`;

export function admissionReview(pod: unknown, namespace = 'shop') {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'u-1', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace, operation: 'CREATE', object: pod },
  };
}
