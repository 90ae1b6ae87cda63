import { ApiException } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';

/** HTTP status of a failed API call, or undefined when it never got an answer. */
export function statusCodeOf(e: unknown): number | undefined {
  return e instanceof ApiException ? (e.code as number) : undefined;
}

export function isNotFound(e: unknown): boolean {
  return statusCodeOf(e) === 404;
}

/**
 * One line saying why an API call failed: the Status message the server sent (its `reason`
 * and `message`), or the network cause (refused, unknown host, time-out), never the client's
 * multi-line dump of headers.
 */
export function describeKubeError(e: unknown): string {
  if (e instanceof ApiException) {
    const status = parseStatus(e.body);
    const code = e.code as number;
    if (status?.message) return `${code} ${status.reason ?? ''}: ${status.message}`.replace(' :', ':');
    if (code === 401) return '401 Unauthorized: the credentials in the kubeconfig were rejected (expired token or certificate?)';
    return `HTTP ${code}`;
  }
  if (e instanceof Error) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer in time (request timed out)';
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: string }).code;
      return code ? `${code}: ${cause.message}` : cause.message;
    }
    return e.message.split('\n')[0] ?? e.message;
  }
  return String(e);
}

/** A failed call the user can act on (credentials, permissions, a cluster that is down) as a UserError. */
export function kubeUserError(what: string, e: unknown): UserError {
  const code = statusCodeOf(e);
  const hint =
    code === 403
      ? forbiddenHint(e)
      : code === 401
        ? ' (log in again, e.g. refresh the cloud credentials)'
        : '';
  return new UserError(`kubernetes: ${what}: ${describeKubeError(e)}${hint}`);
}

/**
 * What a 403 means, from its Status message: RBAC refusing the kubeconfig user a verb, or a
 * namespace being deleted (`unable to create new content in namespace x because it is being
 * terminated`), or something else (an admission webhook) whose own message says why.
 */
export function forbiddenHint(e: unknown): string {
  const message = e instanceof ApiException ? (parseStatus(e.body)?.message ?? '') : '';
  const terminating = /in namespace (\S+) because it is being terminated/.exec(message);
  if (terminating) {
    const ns = terminating[1];
    return ` (namespace "${ns}" is being deleted, e.g. by an earlier teardown: wait until \`kubectl get namespace ${ns}\` finds nothing, then run again)`;
  }
  if (/is forbidden: User ".*" cannot /.test(message)) return ' (the kubeconfig user lacks this permission)';
  return ' (refused by the API server, not for lack of a permission: see its message)';
}

interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes?: readonly { readonly message?: string; readonly field?: string }[] };
}

function parseStatus(body: unknown): StatusBody | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
    }
  }
  if (value && typeof value === 'object') return value as StatusBody;
  return undefined;
}
