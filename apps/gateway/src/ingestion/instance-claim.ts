/**
 * Runs `work` while renewing this gateway's claim on a trigger instance
 * every third of the lease, so that another gateway takes the instance over
 * only once this one stopped renewing it (it died), never while it works.
 */
export async function whileClaimed<T>(claim: { renew: () => Promise<void>; leaseSeconds: number; onRenewalError: (error: Error) => void }, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void claim.renew().catch(claim.onRenewalError), (claim.leaseSeconds * 1000) / 3);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
