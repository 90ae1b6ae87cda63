// The fake API server's controllers: Deployments roll out one step per read, Jobs get a pod at
// once, and pods in namespaces labelled istio-injection=enabled get an istio-proxy container
// (what Istio's injection webhook does).
import type { FakeStore, Obj } from './fakeStore.ts';

/** A Deployment's status once its rollout is complete. */
export function completeStatus(d: Obj): Obj {
  const replicas = d['spec'].replicas ?? 1;
  return {
    observedGeneration: d['metadata'].generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d['metadata'].name}-rs" has successfully progressed.` },
    ],
  };
}

export class FakeControllers {
  /** Deployments (namespace/name) whose pods never start: image pull back-off. */
  readonly stuck = new Set<string>();
  private readonly progress = new Map<string, number>();

  constructor(
    private readonly store: FakeStore,
    private readonly rolloutSteps = 4,
  ) {}

  /** A Deployment was created or its spec changed: a rollout begins. */
  rolloutStarted(d: Obj): void {
    this.progress.set(`${d['metadata'].namespace}/${d['metadata'].name}`, 0);
  }

  // Each read moves a rollout one step. Step 1 still shows the previous status (the controller
  // has not seen the change: observedGeneration behind), step 2 observes the new generation,
  // step 3 has the new pods created but not ready, step `rolloutSteps` has them available,
  // unless the deployment is stuck.
  reconcile(d: Obj): void {
    const id = `${d['metadata'].namespace}/${d['metadata'].name}`;
    const previous = this.progress.get(id);
    if (previous === undefined) return;
    const step = previous + 1;
    this.progress.set(id, step);
    const replicas = d['spec'].replicas ?? 1;
    if (step >= 2) {
      d['status'] = { observedGeneration: d['metadata'].generation, replicas, updatedReplicas: 0, availableReplicas: 0, unavailableReplicas: replicas };
    }
    if (step >= 3) {
      d['status'].updatedReplicas = replicas;
      this.ensurePods(d, true);
    }
    if (step >= this.rolloutSteps && step >= 3 && !this.stuck.has(id)) {
      d['status'] = completeStatus(d);
      this.ensurePods(d, false);
      this.progress.delete(id);
    }
  }

  podsOf(d: Obj): Obj[] {
    const labels = d['spec'].selector?.matchLabels ?? {};
    return this.store.list('pods', d['metadata'].namespace).filter((p) => Object.entries(labels).every(([k, v]) => p['metadata'].labels?.[k] === v));
  }

  /** Garbage collection of a deleted Deployment's or Job's pods. */
  deletePodsOf(o: Obj): void {
    const namespace = o['metadata'].namespace;
    const pods = o['kind'] === 'Job' ? this.store.list('pods', namespace).filter((p) => p['metadata'].labels?.['job-name'] === o['metadata'].name) : this.podsOf(o);
    for (const p of pods) this.store.delete('pods', namespace, p['metadata'].name);
  }

  /** The Job controller: one pod per Job, labelled job-name=<job>, running at once. */
  startJobPod(job: Obj): void {
    const template = job['spec'].template;
    const name = job['metadata'].name as string;
    this.store.put(
      this.store.stamp(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${name}-7xk2p`, namespace: job['metadata'].namespace, labels: { ...template.metadata?.labels, 'job-name': name, 'batch.kubernetes.io/job-name': name }, ownerReferences: [{ kind: 'Job', name }] },
          spec: { containers: structuredClone(template.spec.containers), restartPolicy: template.spec.restartPolicy },
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: 'True' }],
            containerStatuses: template.spec.containers.map((c: Obj) => ({ name: c['name'], image: c['image'], ready: true, restartCount: 0, state: { running: { startedAt: new Date().toISOString() } } })),
          },
        },
        undefined,
        'kube-controller-manager',
      ),
    );
  }

  /** Set a pod's phase (e.g. a Job's pod finishing); its containers follow. */
  setPodPhase(namespace: string, name: string, phase: 'Running' | 'Succeeded' | 'Failed'): void {
    const pod = this.store.get('pods', namespace, name);
    if (!pod) throw new Error(`no pod ${namespace}/${name}`);
    pod['status'].phase = phase;
    if (phase !== 'Running') {
      pod['status'].conditions = [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }];
      for (const cs of pod['status'].containerStatuses) cs.state = { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error' } };
    }
  }

  private ensurePods(d: Obj, starting: boolean): void {
    const namespace = d['metadata'].namespace as string;
    const template = d['spec'].template;
    const ns = this.store.get('namespaces', undefined, namespace);
    const inject = ns?.['metadata'].labels?.['istio-injection'] === 'enabled' && template.metadata?.annotations?.['sidecar.istio.io/inject'] !== 'false';
    const containers = structuredClone(template.spec.containers) as Obj[];
    if (inject) containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', ports: [{ name: 'http-envoy-prom', containerPort: 15090 }] });
    const name = `${d['metadata'].name}-${String(d['metadata'].generation).padStart(2, '0')}f9c-x2k4q`;
    for (const old of this.podsOf(d)) if (old['metadata'].name !== name) this.store.delete('pods', namespace, old['metadata'].name);
    const stuck = this.stuck.has(`${namespace}/${d['metadata'].name}`);
    const ready = !starting;
    this.store.put(
      this.store.stamp(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          // Pods carry their template's labels and annotations, as the ReplicaSet controller copies them.
          metadata: { name, namespace, labels: { ...template.metadata.labels }, ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}), ownerReferences: [{ kind: 'ReplicaSet', name: `${d['metadata'].name}-rs` }] },
          spec: { containers },
          status: {
            phase: ready ? 'Running' : 'Pending',
            podIP: '10.244.0.17',
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
            containerStatuses: containers.map((c) => ({
              name: c['name'],
              image: c['image'],
              ready,
              restartCount: 0,
              state: ready
                ? { running: { startedAt: new Date().toISOString() } }
                : stuck
                  ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c['image']}"` } }
                  : { waiting: { reason: 'ContainerCreating' } },
            })),
          },
        },
        undefined,
        'kube-controller-manager',
      ),
    );
  }
}
