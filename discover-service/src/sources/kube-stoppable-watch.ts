import { Watch } from '@kubernetes/client-node';

/**
 * client-node's Watch, plus a `close()` that aborts every open stream and
 * refuses new ones. ListWatch.stop() cannot abort a watch whose request is
 * still connecting (it only knows the controller once the request resolves),
 * so without this a source stopped at the wrong moment leaks a watch.
 */
export class KubeStoppableWatch extends Watch {
  private closed = false;
  private readonly open = new Set<AbortController>();

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.closed) {
      const idle = new AbortController();
      idle.abort();
      return idle;
    }
    let controller: AbortController | undefined;
    controller = await super.watch(path, queryParams, callback, (err: unknown) => {
      if (controller) this.open.delete(controller);
      done(err);
    });
    if (this.closed) controller.abort();
    else if (!controller.signal.aborted) this.open.add(controller);
    return controller;
  }

  close(): void {
    this.closed = true;
    for (const controller of this.open) controller.abort();
    this.open.clear();
  }
}
