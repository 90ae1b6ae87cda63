/**
 * Whether a process with this id is running: signal 0 only asks. EPERM means it exists but is
 * someone else's (alive); anything else (ESRCH) means it is gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
