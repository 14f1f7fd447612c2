/** Validates Kubernetes objects against the Kubernetes OpenAPI schemas shipped by `kubernetes-models`. */
interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** `apps/v1` + `Deployment` -> `kubernetes-models/apps/v1/Deployment` (the core group is plain `v1`). */
function modulePath(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Throws with the object, kind and the schema's reason when `object` is not valid. */
export async function validateKubeObject(object: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): Promise<void> {
  const { apiVersion, kind } = object;
  if (!apiVersion || !kind) throw new Error(`object ${object.metadata?.name ?? '?'} has no apiVersion/kind`);
  let mod: Record<string, ModelClass>;
  try {
    mod = (await import(modulePath(apiVersion, kind))) as Record<string, ModelClass>;
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
  const Model = mod[kind];
  if (!Model) throw new Error(`no model class ${kind} in ${apiVersion}`);
  try {
    new Model(object).validate();
  } catch (err) {
    throw new Error(`${kind} ${object.metadata?.name ?? '?'}: ${(err as Error).message}`);
  }
}
