#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. The stack gains the EventBridge rule, the updater
 * Lambda, the registry table, the dead-letter queue and the alarms as the pipeline lands; today it
 * proves that the app synthesizes offline with no credentials.
 */
import { App } from 'aws-cdk-lib';
import { ImageUpdaterStack } from './image-updater-stack.ts';

const app = new App();
new ImageUpdaterStack(app, 'EcrImageUpdater', {
  description: 'ecr-image-updater: event-driven image updates for GitOps on AWS',
});
app.synth();
