/** Real SDK clients pointed at local peers, with dummy credentials and no SDK retry delay surprises. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const dynamoDbClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-west-2', credentials });
export const ecrClient = (endpoint: string, region = 'us-west-2') =>
  new ECRClient({ endpoint, region, credentials });
export const secretsManagerClient = (endpoint: string) =>
  new SecretsManagerClient({ endpoint, region: 'us-west-2', credentials });
export const sqsClient = (endpoint: string) => new SQSClient({ endpoint, region: 'us-west-2', credentials });
export const stsClient = (endpoint: string) =>
  new STSClient({ endpoint, region: 'us-west-2', credentials, maxAttempts: 1 });
