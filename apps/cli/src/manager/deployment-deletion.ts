import { ManagerError, NestifyClient } from '@nestify/client';
import { CliExit, EXIT } from '../exit-codes';

const POLL_MS = 300;
const TIMEOUT_MS = 120_000;

/**
 * Deletes a deployment and waits until it is gone: the manager answers 204 at once and removes
 * it when its delete_deployment_environment execution ends.
 */
export async function deleteDeployment(
  client: NestifyClient,
  id: string,
  options: { force?: boolean; deleteLogs?: boolean } = {},
): Promise<void> {
  await client.deployments.delete(id, options);
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      await client.deployments.get(id);
    } catch (error) {
      if (error instanceof ManagerError && error.status === 404) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new CliExit(`deployment ${id} is still there after ${TIMEOUT_MS / 1000} s`, EXIT.failed);
}
