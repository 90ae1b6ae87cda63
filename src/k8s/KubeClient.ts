import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  type Configuration,
} from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

export interface KubeClientOptions {
  /** Parsed kubeconfig (its current context is set to the one chosen); default: $KUBECONFIG or ~/.kube/config, as kubectl reads them. */
  readonly kubeconfig?: KubeConfig;
  /** Context to use; default: the kubeconfig's current context. */
  readonly context?: string;
  /** Longest wait for one API request before it fails (never hangs the experiment). */
  readonly requestTimeoutMillis?: number;
}

/** The API groups munnin uses, all bound to one context, every request under a time-out. */
export interface KubeClient {
  readonly kubeconfig: KubeConfig;
  /** Name of the context in use. */
  readonly context: string;
  /** API server URL of that context. */
  readonly server: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  readonly version: VersionApi;
  /** Generic objects (server-side apply, delete) by apiVersion/kind. */
  readonly objects: KubernetesObjectApi;
}

export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;

/**
 * Pick the context and build the API clients. A missing kubeconfig or context is the user's
 * to fix, so it is a UserError naming the contexts that do exist; nothing touches the network.
 */
export function connectKube(options: KubeClientOptions = {}): KubeClient {
  const requestTimeoutMillis = options.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS;
  if (!Number.isInteger(requestTimeoutMillis) || requestTimeoutMillis <= 0) {
    throw new UserError(`kubernetes: requestTimeoutMillis must be a positive integer (got ${requestTimeoutMillis})`);
  }
  const kc = options.kubeconfig ?? loadDefaultKubeconfig(options.context);
  const names = kc.getContexts().map((c) => c.name);
  const wanted = options.context ?? kc.getCurrentContext();
  if (!wanted) {
    throw new UserError(
      names.length === 0
        ? `kubernetes: no kubeconfig contexts found${options.kubeconfig ? '' : ` in ${defaultKubeconfigPlace()}`} (${process.env['KUBECONFIG'] ? 'add one, e.g. with `minikube start`, or point KUBECONFIG at a kubeconfig that has one' : 'set KUBECONFIG or create ~/.kube/config, e.g. with `minikube start`'})`
        : `kubernetes: the kubeconfig has no current context; pick one with --context (available: ${names.join(', ')})`,
    );
  }
  if (!kc.getContextObject(wanted)) {
    throw new UserError(`kubernetes: context "${wanted}" not found in kubeconfig (available: ${names.length ? names.join(', ') : 'none'})`);
  }
  kc.setCurrentContext(wanted);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UserError(`kubernetes: context "${wanted}" names a cluster that is not in the kubeconfig`);
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    // client-node refuses plain HTTP unless told to; say so before its generic error does.
    throw new UserError(`kubernetes: cluster "${cluster.name}" uses plain HTTP (${cluster.server}); that needs insecure-skip-tls-verify: true in the kubeconfig`);
  }
  const configuration = timeoutConfiguration(kc, cluster.server, requestTimeoutMillis);
  return {
    kubeconfig: kc,
    context: wanted,
    server: cluster.server,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    batch: new BatchV1Api(configuration),
    version: new VersionApi(configuration),
    objects: new KubernetesObjectApi(configuration),
  };
}

function loadDefaultKubeconfig(context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const fromEnv = process.env['KUBECONFIG'];
  const inCluster = existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
  if (!fromEnv && !inCluster && !existsSync(join(homedir(), '.kube', 'config'))) {
    // client-node would silently fall back to http://localhost:8080; say what is missing instead.
    const which = context === undefined ? '' : `context "${context}" not found: `;
    throw new UserError(`kubernetes: ${which}no kubeconfig found (~/.kube/config does not exist and KUBECONFIG is not set); start a cluster (e.g. \`minikube start\`) or set KUBECONFIG`);
  }
  try {
    kc.loadFromDefault();
  } catch (e) {
    throw new UserError(`kubernetes: cannot read the kubeconfig (${defaultKubeconfigPlace()}): ${e instanceof Error ? e.message : String(e)}`);
  }
  return kc;
}

/** Where loadFromDefault read the kubeconfig from, as the user would name it. */
function defaultKubeconfigPlace(): string {
  return process.env['KUBECONFIG'] ? `KUBECONFIG=${process.env['KUBECONFIG']}` : '~/.kube/config';
}

/** Same as KubeConfig.makeApiClient, plus a per-request AbortSignal so an unreachable server fails in time. */
function timeoutConfiguration(kc: KubeConfig, server: string, timeoutMillis: number): Configuration {
  return createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (context) => {
          context.setSignal(AbortSignal.timeout(timeoutMillis));
          return context;
        },
        post: async (context) => context,
      },
    ],
  });
}
