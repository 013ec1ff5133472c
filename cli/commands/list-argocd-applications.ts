/**
 * `apps import --from-argocd`: the Applications Argo CD lists in each namespace, read through one of
 * the platform's Argo CD connections ($ECR_IMAGE_UPDATER_CONNECTIONS, as the function has them): its
 * server, its token from Secrets Manager, its TLS settings. Reading is all it does.
 */
import { ArgoCdClientConnector } from '../../lib/adapters/argocd-client-connector.ts';
import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import { readConnections } from '../../lib/adapters/runtime-config.ts';
import { SecretsManagerSecretStore } from '../../lib/adapters/secrets-manager-secret-store.ts';
import { CONNECTIONS_DOC } from '../../lib/domain/connections/connections.ts';
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { awsClients } from '../aws-context.ts';
import type { CliIo } from '../io.ts';

export async function listArgoCdApplications(
  namespaces: readonly string[],
  name: string | undefined,
  io: CliIo,
): Promise<ReadonlyMap<string, readonly unknown[]>> {
  const connections = readConnections(io.env[ENVIRONMENT.connections]);
  const wanted = name ?? connections.defaultArgoCd;
  const connection = connections.argocd.find((candidate) => candidate.name === wanted);
  if (connection === undefined) {
    const declared = connections.argocd.map((c) => c.name).join(', ') || 'none';
    throw new InvalidInputError(
      name === undefined ? '--from-argocd' : '--argocd-connection',
      name === undefined
        ? `no Argo CD connection is named and there is no default one (declared: ${declared})`
        : `${quoteInput(name)} is not an Argo CD connection (declared: ${declared})`,
      `name one with --argocd-connection, declared in $${ENVIRONMENT.connections} (${CONNECTIONS_DOC})`,
    );
  }
  const secrets = new SecretsManagerSecretStore({ client: awsClients(io).secretsManager });
  const client = await new ArgoCdClientConnector({ secrets }).connect(connection);
  const lists = await Promise.all(namespaces.map((namespace) => client.listApplications(namespace)));
  return new Map(namespaces.map((namespace, index) => [namespace, lists[index]!]));
}
